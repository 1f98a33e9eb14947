/**
 * What a delete in the data lake says before and instead of deleting. A delete cannot be
 * undone, and who loses the object depends on the area: in the user's own area only they do,
 * in a shared one everybody does. So the question names the area and says which it is; and
 * where an area lets users delete only what they uploaded, a row the user may not delete says
 * whose it is and why, rather than offering nothing and leaving them to guess.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IArea } from '../api/types';
import { ILakeEntry } from './entries';

/** How many names a question lists before "and N more". */
const NAMES_SHOWN = 5;

/**
 * Whether an area is the user's own: its prefix holds their name as a folder (the server puts
 * it there for `users/{username}/`). Without a name to go by, the default configuration's own
 * area, `mine`, is. Anything else is taken as shared, since that question is the careful one:
 * an area everyone may delete in is still everyone's.
 */
export function isPrivateArea(area: IArea, user: string | null): boolean {
  if (user) {
    return area.prefix.split('/').includes(user);
  }
  return area.id === 'mine';
}

/** A key as the user finds it in the area: without the area's prefix. */
function inArea(area: IArea, key: string): string {
  return key.startsWith(area.prefix) ? key.slice(area.prefix.length) : key;
}

/** "a.csv", or "a.csv, b.csv and 3 more". */
function names(area: IArea, keys: string[], trans: TranslationBundle): string {
  const shown = keys.slice(0, NAMES_SHOWN).map(key => inArea(area, key));
  const rest = keys.length - shown.length;
  return rest > 0
    ? trans.__('%1 and %2 more', shown.join(', '), rest)
    : shown.join(', ');
}

/**
 * The question asked before deleting entries of an area, e.g. "Delete results.csv from My area
 * (users/ada/)? This cannot be undone." In a shared area it says that everyone loses them.
 */
export function deleteQuestion(
  area: IArea,
  entries: readonly ILakeEntry[],
  user: string | null,
  trans: TranslationBundle
): string {
  const what = names(
    area,
    entries.map(entry => entry.key),
    trans
  );
  const folders = entries.some(entry => entry.kind === 'folder');
  if (isPrivateArea(area, user)) {
    return folders
      ? trans.__(
          'Delete %1 and everything in it from %2 (%3)? This cannot be undone.',
          what,
          area.title,
          area.prefix
        )
      : trans.__(
          'Delete %1 from %2 (%3)? This cannot be undone.',
          what,
          area.title,
          area.prefix
        );
  }
  return folders
    ? trans.__(
        'Delete %1 and everything in it from %2 (%3)? Everyone loses it; this cannot be undone.',
        what,
        area.title,
        area.prefix
      )
    : trans.__(
        'Delete %1 from %2 (%3)? Everyone loses it; this cannot be undone.',
        what,
        area.title,
        area.prefix
      );
}

/**
 * Why the user may not delete one entry of an area they may delete their own uploads in, e.g.
 * "Uploaded by bob; in Shared you can delete only what you uploaded". A folder may hold anybody's
 * objects, so it is not deleted as a whole there.
 */
export function notYoursReason(
  area: IArea,
  entry: ILakeEntry,
  uploader: string | null | undefined,
  trans: TranslationBundle
): string {
  if (entry.kind === 'folder') {
    return trans.__(
      'In %1 you can delete only what you uploaded; a folder may hold what others uploaded',
      area.title
    );
  }
  return uploader
    ? trans.__(
        'Uploaded by %1; in %2 you can delete only what you uploaded',
        uploader,
        area.title
      )
    : trans.__(
        'Not recorded as your upload; in %1 you can delete only what you uploaded',
        area.title
      );
}
