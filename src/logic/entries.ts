/**
 * The rows of the data lake browser, as plain data: a page of a listing turned into rows, and
 * rows sorted and filtered as the user asks. Pure functions, so that the order and the filter
 * can be tested without a view, and the virtual grid can render any slice of them.
 */
import { ILakePage } from '../api/types';

/** A row of the data lake browser: a sub-folder or an object of the folder shown. */
export interface ILakeEntry {
  kind: 'folder' | 'object';
  /** The full key; a folder's ends in "/". */
  key: string;
  /** The name inside the folder shown. */
  name: string;
  /** Bytes; null for folders, which S3 keeps no size for. */
  size: number | null;
  /** Seconds since the epoch; null for folders. */
  modified: number | null;
  /** Changes whenever the object is written again; null for folders. */
  etag: string | null;
}

export type SortKey = 'name' | 'size' | 'modified';

export interface ISort {
  key: SortKey;
  descending: boolean;
}

// Numeric, so that run-2 comes before run-10; case-blind, as people read names.
const collator = new Intl.Collator(undefined, {
  numeric: true,
  sensitivity: 'base'
});

function compareNames(a: ILakeEntry, b: ILakeEntry): number {
  // S3 keys are unique byte strings; fall back to them so the order never depends on the
  // order the rows arrived in.
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : 1);
}

/**
 * The rows in the order asked for, folders always first. Folders have no size or date, so
 * under those orders they stay by name.
 */
export function sortEntries(
  entries: readonly ILakeEntry[],
  sort: ISort
): ILakeEntry[] {
  const sign = sort.descending ? -1 : 1;
  return [...entries].sort((a, b) => {
    if (a.kind !== b.kind) {
      return a.kind === 'folder' ? -1 : 1;
    }
    if (sort.key === 'name') {
      return sign * compareNames(a, b);
    }
    if (a.kind === 'folder') {
      return compareNames(a, b);
    }
    const field = sort.key === 'size' ? 'size' : 'modified';
    const difference = (a[field] ?? 0) - (b[field] ?? 0);
    return difference !== 0 ? sign * difference : compareNames(a, b);
  });
}

/** The rows whose name contains the text typed, whatever its case; all rows for no text. */
export function filterEntries(
  entries: readonly ILakeEntry[],
  text: string
): readonly ILakeEntry[] {
  const needle = text.trim().toLocaleLowerCase();
  if (!needle) {
    return entries;
  }
  return entries.filter(entry =>
    entry.name.toLocaleLowerCase().includes(needle)
  );
}

/** One page of a listing as rows: its folders, then its objects. */
export function pageEntries(page: ILakePage): ILakeEntry[] {
  return [
    ...page.folders.map((folder): ILakeEntry => ({
      kind: 'folder',
      key: folder.key,
      name: folder.name,
      size: null,
      modified: null,
      etag: null
    })),
    ...page.objects.map((object): ILakeEntry => ({
      kind: 'object',
      key: object.key,
      name: object.name,
      size: object.size,
      modified: object.last_modified,
      etag: object.etag
    }))
  ];
}

/**
 * A name cut in two for a middle ellipsis: the start, which may be shortened, and the end,
 * which stays whole so that the name can still be told apart at sidebar width: the extension
 * with a few characters before it ("features_fu" + "ll.parquet"), else the last characters.
 */
export function nameParts(name: string): [string, string] {
  // Characters kept before the extension, or at the end of a name without one.
  const before = 4;
  const last = 6;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 12 ? name.length - dot : 0;
  const keep = extension > 0 ? extension + before : last;
  if (name.length <= keep + 2) {
    return [name, ''];
  }
  const cut = name.length - keep;
  return [name.slice(0, cut), name.slice(cut)];
}
