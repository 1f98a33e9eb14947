/**
 * What the UI makes of the areas the server is configured with (`GET /datalake/status`): which
 * of them the user may read, write and delete in, why not in words, and which one a view starts
 * at. The list is configuration, not code, so no view names an area; they all ask these rules,
 * and so say the same thing about the same area. Where the server's message says why, it is
 * shown as it is; the sentences here only fill in where it says nothing.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { Area, IAccess, IArea } from '../api/types';

/**
 * Whether an access may work: S3 let the probe through, or nobody could ask. An unchecked
 * area is offered, since refusing what might work would be worse than a 403 that says why.
 */
export function mayUse(access: IAccess): boolean {
  return access.state === 'ok' || access.state === 'unchecked';
}

/** Why the user cannot browse an area; null when they may. */
export function readRefusal(
  area: IArea,
  trans: TranslationBundle
): string | null {
  if (mayUse(area.read)) {
    return null;
  }
  if (area.read.message) {
    return area.read.message;
  }
  return area.read.state === 'refused'
    ? trans.__('Your data lake account may not list %1.', area.prefix)
    : trans.__('%1 cannot be browsed from here.', area.prefix);
}

/** Why the user cannot put anything into an area; null when they may. */
export function writeRefusal(
  area: IArea,
  trans: TranslationBundle
): string | null {
  if (mayUse(area.write)) {
    return null;
  }
  return (
    area.write.message || trans.__('%1 is read-only for you.', area.prefix)
  );
}

/**
 * Why nothing in an area can be deleted from here; null when something may be (each object's
 * own `can_delete` then decides). The server does not probe deletes; an area S3 refuses writes
 * to is taken to refuse deletes as well, as least-privilege policies grant them together.
 */
export function deleteRefusal(
  area: IArea,
  trans: TranslationBundle
): string | null {
  if (area.delete === 'none') {
    return trans.__('Nothing in %1 can be deleted from here.', area.prefix);
  }
  if (area.write.state === 'refused') {
    return writeRefusal(area, trans);
  }
  return null;
}

/** The areas the user may send to, in the configured order. */
export function writableAreas(areas: readonly IArea[]): IArea[] {
  return areas.filter(area => mayUse(area.write));
}

/**
 * The area a view starts at: `preferred` while it is listed and usable, else the first one
 * usable, else the first one (whose refusal the view then shows). `usable` is reading for the
 * lake browser and writing for the Send dialog.
 */
export function startArea(
  areas: readonly IArea[],
  usable: (area: IArea) => boolean,
  preferred?: Area
): IArea | null {
  const wanted = areas.find(area => area.id === preferred);
  if (wanted && usable(wanted)) {
    return wanted;
  }
  return areas.find(usable) ?? areas[0] ?? null;
}

/** Whether the user may browse an area. */
export function isReadable(area: IArea): boolean {
  return mayUse(area.read);
}

/** Whether the user may send into an area. */
export function isWritable(area: IArea): boolean {
  return mayUse(area.write);
}

/**
 * The user's rights in an area, compactly: "read, write, delete own uploads", "read only",
 * or "refused: …" with the server's reason.
 */
export function rightsText(area: IArea, trans: TranslationBundle): string {
  const unreadable = readRefusal(area, trans);
  if (unreadable) {
    return area.read.state === 'refused'
      ? trans.__('refused: %1', unreadable)
      : trans.__('not offered: %1', unreadable);
  }
  if (area.read.state === 'unchecked') {
    return trans.__('not checked yet');
  }
  const rights = [trans.__('read')];
  if (area.write.state === 'ok') {
    rights.push(trans.__('write'));
  } else if (area.write.state === 'unchecked') {
    rights.push(trans.__('write (not checked)'));
  }
  if (!deleteRefusal(area, trans)) {
    rights.push(
      area.delete === 'any'
        ? trans.__('delete')
        : trans.__('delete own uploads')
    );
  }
  return rights.length === 1 ? trans.__('read only') : rights.join(', ');
}
