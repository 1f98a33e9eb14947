/**
 * What the UI says of a transfer, decided from the server's record alone: whether it still
 * moves bytes, its name, how far it got, where a download went, and which transfers have just
 * ended. Pure functions, shared by the transfers model, the panel and the notifications.
 */
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ITransfer, ITransferItem, TransferState } from '../api/types';

/** Whether a transfer in this state still moves bytes, or may. */
export function isActive(state: TransferState): boolean {
  return state === 'queued' || state === 'running';
}

/**
 * The words of a transfer's direction, for its row and its notifications: a copy or a move
 * inside the lake is neither sent nor received.
 */
export function directionWords(
  transfer: Pick<ITransfer, 'direction'>,
  trans: TranslationBundle
): { running: string; done: string } {
  switch (transfer.direction) {
    case 'upload':
      return { running: trans.__('Sending'), done: trans.__('Sent') };
    case 'download':
      return { running: trans.__('Receiving'), done: trans.__('Received') };
    case 'copy':
      return { running: trans.__('Copying'), done: trans.__('Copied') };
    default:
      return { running: trans.__('Moving'), done: trans.__('Moved') };
  }
}

/**
 * What the user knows a transfer by: the first thing they picked, and how many more.
 */
export function transferName(
  transfer: Pick<ITransfer, 'sources'>,
  trans: TranslationBundle
): string {
  const [first, ...rest] = transfer.sources;
  const name = PathExt.basename(first ?? '') || first || '';
  return rest.length > 0 ? trans.__('%1 + %2 more', name, rest.length) : name;
}

/**
 * The file browser folder a download went into ("" for the root). A download of one key names
 * the file or folder it made; one of several keys names the folder they went into.
 */
export function downloadedInto(
  transfer: Pick<ITransfer, 'sources' | 'destination'>
): string {
  return transfer.sources.length === 1
    ? PathExt.dirname(transfer.destination)
    : transfer.destination;
}

/** Share of a transfer done, 0 to 100, by bytes, or by files when it has no bytes. */
export function transferPercent(transfer: ITransfer): number {
  const [done, total] =
    transfer.bytes_total > 0
      ? [transfer.bytes_done, transfer.bytes_total]
      : [transfer.files_done, transfer.files_total];
  if (total <= 0) {
    return transfer.state === 'done' ? 100 : 0;
  }
  return Math.min(100, (100 * done) / total);
}

/**
 * Compare a new list of transfers with the states last seen, and say which have just
 * finished. Only a transfer last seen queued or running counts: one that was already finished
 * the first time this browser saw it (after a reload, say) has been told about before.
 * A transfer last seen active but missing from the list is remembered, since a list asked for
 * before it was started may arrive after the reply that started it.
 */
export function trackTransfers(
  known: ReadonlyMap<string, TransferState>,
  transfers: readonly ITransfer[]
): { known: Map<string, TransferState>; finished: ITransfer[] } {
  const next = new Map<string, TransferState>();
  const finished: ITransfer[] = [];
  for (const transfer of transfers) {
    const before = known.get(transfer.id);
    if (before && isActive(before) && !isActive(transfer.state)) {
      finished.push(transfer);
    }
    next.set(transfer.id, transfer.state);
  }
  for (const [id, state] of known) {
    if (!next.has(id) && isActive(state)) {
      next.set(id, state);
    }
  }
  return { known: next, finished };
}

/** Whether a transfer put objects in the lake that can be looked for: a finished upload. */
export function madeObjects(transfer: ITransfer): boolean {
  return transfer.direction === 'upload' && transfer.state === 'done';
}

/**
 * The objects a finished upload of a folder (or of several things) wrote, to look for: its
 * files (folder markers say nothing of the files), at most `limit` of them.
 */
export function writtenKeys(
  items: readonly ITransferItem[],
  limit: number
): string[] {
  return items
    .filter(
      item =>
        item.state === 'done' &&
        item.destination !== '' &&
        !item.destination.endsWith('/')
    )
    .slice(0, limit)
    .map(item => item.destination);
}

/**
 * The new names keeping both would give, as a plan that asks says them: for each clashing file
 * or folder (a folder is renamed as a whole), the part of its path that changes, once each,
 * in the plan's order: "report (1).csv", "run (1)".
 */
export function keptBothAs(items: readonly ITransferItem[]): string[] {
  const names: string[] = [];
  for (const item of items) {
    if (!item.exists || !item.renamed) {
      continue;
    }
    const was = item.destination.split('/');
    const will = item.renamed.split('/');
    const at = will.findIndex((part, i) => part !== was[i]);
    const name = at >= 0 ? will[at] : '';
    if (name && !names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}
