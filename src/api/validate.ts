/**
 * A light check of the server's replies where a wrong shape would mislead the UI: the status
 * (whether the lake can be used), the usage (the quota figures and warnings), the transfers
 * (what is still moving bytes) and a page of the lake browser. A reply is otherwise taken on
 * trust, so a server extension of another version, or a proxy answering 200 with its own JSON,
 * would show as wrong numbers or a blank panel; checked, it shows as one clear error that says
 * which field is wrong. Only the fields the UI relies on are checked, and extra ones are fine,
 * so that a newer server that adds a field still works.
 */

/** Throws a `ShapeError` naming `where` when `value` is not of the shape. */
export type Check = (value: unknown, where: string) => void;

/** A reply that is not of the shape this version of the frontend expects. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}

function kind(name: string, test: (value: unknown) => boolean): Check {
  return (value, where) => {
    if (!test(value)) {
      throw new ShapeError(`${where} is ${describe(value)}, not ${name}`);
    }
  };
}

export const string = kind('a string', v => typeof v === 'string');
export const number = kind('a number', v => typeof v === 'number');
export const boolean = kind('true or false', v => typeof v === 'boolean');

/** One of a few strings, such as a transfer's state. */
export function oneOf(...values: string[]): Check {
  return kind(`one of ${values.join(', ')}`, v => values.includes(v as string));
}

export function nullable(check: Check): Check {
  return (value, where) => {
    if (value !== null) {
      check(value, where);
    }
  };
}

/** A field an older server may leave out. */
export function optional(check: Check): Check {
  return (value, where) => {
    if (value !== undefined) {
      check(value, where);
    }
  };
}

export function arrayOf(check: Check): Check {
  return (value, where) => {
    if (!Array.isArray(value)) {
      throw new ShapeError(`${where} is ${describe(value)}, not a list`);
    }
    value.forEach((item, i) => check(item, `${where}[${i}]`));
  };
}

/** An object with at least these fields; others are allowed. */
export function object(fields: { [name: string]: Check }): Check {
  return (value, where) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ShapeError(`${where} is ${describe(value)}, not an object`);
    }
    for (const [name, check] of Object.entries(fields)) {
      check((value as { [name: string]: unknown })[name], `${where}.${name}`);
    }
  };
}

const usageEntry = object({ path: string, bytes: number, files: number });

/** Whether the user may read or write an area; the UI offers or disables actions by it. */
const access = object({
  state: oneOf('ok', 'refused', 'not-allowed', 'unchecked'),
  message: string
});

/** One configured area: the lake browser's tabs and the Send dialog's choices. */
export const area = object({
  id: string,
  title: string,
  bucket: string,
  prefix: string,
  uri: string,
  read: access,
  write: access,
  delete: oneOf('any', 'own', 'none')
});

/** `GET /datalake/status` */
export const status = object({
  version: string,
  user: nullable(string),
  bucket: nullable(string),
  areas: nullable(arrayOf(area)),
  connection: object({ state: string, message: string, hint: string }),
  checked_at: number,
  root: nullable(object({ path: string, persistent: boolean, reason: string }))
});

/** `GET /datalake/contents`, and the reply to saving back: what JupyterLab's context relies on. */
export const contentsModel = object({
  name: string,
  path: string,
  type: oneOf('file', 'notebook', 'directory'),
  writable: boolean,
  last_modified: string,
  hash: nullable(string)
});

/** `GET /datalake/usage`, and the reply to emptying the trash. */
export const usage = object({
  home: string,
  home_in_contents: nullable(string),
  used: number,
  capacity: number,
  percent: nullable(number),
  volume: object({ total: number, free: number }),
  largest_dirs: arrayOf(usageEntry),
  largest_files: arrayOf(usageEntry),
  trash: object({
    path: string,
    bytes: number,
    files: number,
    items: optional(number)
  }),
  scanned_at: number,
  refreshing: boolean,
  last_save_error: nullable(
    object({ path: string, reason: string, at: number })
  )
});

/** `GET /datalake/usage?since=…`: the figure, or that it is still the caller's version. */
export const usagePoll: Check = (value, where) => {
  if ((value as { unchanged?: unknown } | null)?.unchanged === true) {
    object({ version: number, refreshing: boolean })(value, where);
  } else {
    usage(value, where);
  }
};

/** One transfer, as listed or as started. */
export const transfer = object({
  id: string,
  direction: oneOf('upload', 'download', 'copy', 'move'),
  area: string,
  state: oneOf('queued', 'running', 'done', 'failed', 'cancelled'),
  verifying: boolean,
  sources: arrayOf(string),
  destination: string,
  uri: string,
  bytes_total: number,
  bytes_done: number,
  files_total: number,
  files_done: number,
  files_skipped: number
});

/** `GET /datalake/transfers` */
export const transferList = object({ transfers: arrayOf(transfer) });

/** `GET /datalake/objects`: one page of a folder of the lake. */
export const lakePage = object({
  prefix: string,
  key_prefix: string,
  folders: arrayOf(object({ name: string, key: string })),
  objects: arrayOf(
    object({
      key: string,
      name: string,
      size: number,
      last_modified: number,
      etag: string
    })
  ),
  next_cursor: nullable(string)
});

/** `POST /datalake/objects/folder` */
export const newFolder = object({ area: string, key: string, prefix: string });

/** `POST /datalake/objects/share`: the link the user copies, and where it works. */
export const shareLink = object({
  url: string,
  key: string,
  lifetime: number,
  expires: number,
  inside_cluster_only: boolean
});

/**
 * `value` as a `T` once it passed `check`; else a `ShapeError` that names the request and the
 * field, and says what most likely went wrong.
 */
export function checked<T>(check: Check, value: unknown, request: string): T {
  try {
    check(value, 'reply');
  } catch (error) {
    if (error instanceof ShapeError) {
      throw new ShapeError(
        `The server's reply to ${request} is not what this version of the extension expects ` +
          `(${error.message}). Are the server extension and the JupyterLab extension the same version?`
      );
    }
    throw error;
  }
  return value as T;
}

/** `GET /datalake/objects/table`: the statement the user copies. */
export const trinoTable = object({
  format: oneOf('CSV', 'PARQUET'),
  table: string,
  location: string,
  files: number,
  statement: string
});

/** `GET /datalake/objects/search`: one step, and whether to ask for the next. */
export const searchStep = object({
  matches: arrayOf(
    object({ key: string, name: string, path: string, size: number })
  ),
  searched: number,
  bound: number,
  bounded: boolean,
  next_cursor: nullable(string)
});

/** `GET /datalake/objects/preview`: what the preview pane draws from. */
export const preview = object({
  key: string,
  format: string,
  info: object({ key: string }),
  bytes_read: number,
  message: nullable(string),
  notes: arrayOf(string),
  table: optional(
    object({
      columns: arrayOf(string),
      rows: arrayOf(arrayOf(nullable(string)))
    })
  ),
  parquet: optional(
    object({
      num_rows: number,
      num_row_groups: number,
      columns: arrayOf(object({ name: string, type: string }))
    })
  ),
  text: optional(object({ head: string, truncated: boolean }))
});
