/**
 * The rules of object keys, as the server applies them: how a sub-folder typed into a form is
 * written, how an area's key prefix and a sub-folder join, and which folders a prefix passes
 * through. Pure functions, shared by the dialogs, the lake browser and its model, so that the
 * frontend and the server never disagree on where a file goes.
 */

/**
 * A sub-folder as typed into a form, as the server expects it: no leading, trailing or doubled
 * slashes, and no blanks around it.
 */
export function normalizePrefix(text: string): string {
  return text
    .trim()
    .split('/')
    .filter(part => part !== '')
    .join('/');
}

/** The key prefix that a sub-folder of an area gives: `users/ada/` + `a/b` → `users/ada/a/b/`. */
export function joinKey(areaPrefix: string, prefix: string): string {
  const sub = normalizePrefix(prefix);
  return sub ? `${areaPrefix}${sub}/` : areaPrefix;
}

/** The folders from an area's top to `prefix`, each with the prefix that opens it. */
export function folderTrail(
  prefix: string
): { name: string; prefix: string }[] {
  const parts = normalizePrefix(prefix).split('/').filter(Boolean);
  return parts.map((name, i) => ({
    name,
    prefix: parts.slice(0, i + 1).join('/')
  }));
}
