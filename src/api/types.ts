/**
 * Shapes of the server's REST API under `{base_url}/datalake/`, documented in
 * docs/rest-api.yaml. Every request goes through `client.ts`, so this file is the one place the
 * frontend's view of the API can drift from the server's; `validate.ts` checks the replies whose
 * wrong shape would mislead the UI.
 */

/** Why the data lake can or cannot be used (`connection.state`). */
export type ConnectionState =
  | 'ok'
  | 'not-configured'
  | 'invalid-config'
  | 'unreachable'
  | 'bad-credentials'
  | 'access-denied'
  | 'no-such-bucket'
  | 'error';

export interface IConnection {
  state: ConnectionState;
  /** A human sentence saying what is wrong (or that all is well). */
  message: string;
  /** What the user or the hub admin can do about it; empty when connected. */
  hint: string;
}

/** `GET /datalake/status` */
export interface IStatus {
  version: string;
  user: string | null;
  bucket: string | null;
  /** host[:port] of the S3 endpoint; never a secret. */
  endpoint_host: string | null;
  /** The areas the server is configured with, in the order the UI shows them. */
  areas: IArea[] | null;
  connection: IConnection;
  /** Seconds since the epoch at which the server checked the areas. */
  checked_at: number;
  /** Whether the file browser's root survives a restart; null when unknown. */
  root: IClassification | null;
  /** The largest object the `datalake:` drive opens whole, in bytes; older servers leave it out. */
  open_limit?: number | null;
}

/** Whether a path survives a restart, decided from the mount table. */
export interface IClassification {
  path: string;
  persistent: boolean;
  /** A human sentence, e.g. "on a tmpfs (RAM) mount at /tmp, lost at restart". */
  reason: string;
  mount_point: string;
  fstype: string;
}

/** One of the user's top-level entries in a watched place. */
export interface IWatchedEntry {
  path: string;
  name: string;
  bytes: number;
  files: number;
  is_dir: boolean;
  mtime: number;
}

export interface IWatchedLocation {
  path: string;
  persistent: boolean;
  reason: string;
  writable: boolean;
  bytes: number;
  files: number;
  /** The largest of the user's entries, largest first. */
  entries: IWatchedEntry[];
  entry_count: number;
  /** Why the list may be incomplete or not all the user's, e.g. a server running as root. */
  note?: string | null;
}

/** A watched place left out of the report's locations, and why. */
export interface ISkippedLocation {
  path: string;
  /** The reported location that is the same folder; null: it does not exist here. */
  same_as: string | null;
}

export interface IPackage {
  name: string;
  version: string;
  location: string;
}

/** `GET /datalake/at-risk` */
export interface IAtRisk {
  home: string;
  /** Seconds since the epoch from which installed packages are reported. */
  since: number;
  locations: IWatchedLocation[];
  /** The watched places not in `locations`: missing here, or the same folder as one that is. */
  skipped: ISkippedLocation[];
  /** Packages installed since the server started into places lost at restart. */
  packages: IPackage[];
}

/** `POST /datalake/rescue` */
export interface IRescueResult {
  rescued: { source: string; destination: string; bytes: number }[];
  folder: string;
  home_in_contents: string | null;
}

/** A folder or file of the usage breakdown; paths are relative to home. */
export interface IUsageEntry {
  path: string;
  /** Allocated bytes, as `du` counts them; for folders, the recursive total. */
  bytes: number;
  apparent: number;
  files: number;
}

/** The trash's totals; `files` includes the `.trashinfo` of each item. */
export interface IUsageTrash extends IUsageEntry {
  /** What the user deleted: the entries of the trash's `files/` folder. */
  items?: number;
}

/** `GET /datalake/usage` */
export interface IUsage {
  /** Absolute path of the persistent home. */
  home: string;
  /** Home's path in the file browser ("" when it is the root), or null when not shown there. */
  home_in_contents: string | null;
  /** Allocated bytes in home, as `du -sx` counts them. */
  used: number;
  apparent: number;
  files: number;
  dirs: number;
  /** The quota, or the volume's size when no quota is configured. */
  capacity: number;
  capacity_source: 'quota' | 'volume';
  percent: number | null;
  /** What the volume itself reports; free can run out before the quota does. */
  volume: { total: number; free: number };
  largest_dirs: IUsageEntry[];
  largest_files: IUsageEntry[];
  /** Where JupyterLab's delete puts files; still counted in home. */
  trash: IUsageTrash;
  unreadable: string[];
  unreadable_count: number;
  /** Seconds since the epoch of the last full scan, and of the last update from a save. */
  scanned_at: number;
  updated_at: number;
  scan_seconds: number;
  /** Seconds the last save took to fold into the figure, or null before any save. */
  update_seconds: number | null;
  /** True while a rescan runs; the figures are the previous scan's. */
  refreshing: boolean;
  /** The last save the disk or quota refused, if any; `at` is seconds since the epoch. */
  last_save_error: { path: string; reason: string; at: number } | null;
  /** Changes whenever the figure does; a poll with `since` set to it may be "unchanged". */
  version?: number;
  /** Home is the root of its own volume, whose used bytes the server watches for free. */
  own_volume?: boolean;
  /** How often a visible view should poll with `since`. */
  poll_seconds?: number;
  /** Whether the file browser may show hidden paths (ContentsManager.allow_hidden). */
  hidden_shown?: boolean;
}

/** The trash: its `files` count the .trashinfo sidecars too, `items` what the user trashed. */
export interface IUsageTrash extends IUsageEntry {
  items?: number;
}

/** `GET /datalake/usage?since=…` while the figure is still that version. */
export interface IUsageUnchanged {
  version: number;
  unchanged: true;
  refreshing: boolean;
}

/** `GET /datalake/space?path=…` */
export interface ISpace {
  path: string;
  /** Bytes free (statvfs f_bavail) on the volume the file would be written to. */
  free: number;
  total: number;
}

/** `POST /datalake/trash/empty` */
export interface ITrashEmptied extends IUsage {
  freed: number;
  /** Trash entries that could not be deleted. */
  failed: string[];
}

/**
 * The id of a configured area (`mine`, `shared`, `raw`…): the `area` of every lake request.
 * Which areas exist is the server's configuration, so this is any string the status listed.
 */
export type Area = string;

/**
 * Whether the user may read or write an area: `ok` (S3 let the probe through), `refused` (S3
 * said AccessDenied), `not-allowed` (the configuration does not offer it), `unchecked` (the lake
 * could not be asked, so nobody knows).
 */
export type AccessState = 'ok' | 'refused' | 'not-allowed' | 'unchecked';

export interface IAccess {
  state: AccessState;
  /** Why, in words for the user; empty when `ok`. */
  message: string;
}

/** What the extension lets a user delete in an area (S3 may still refuse). */
export type DeleteRule = 'any' | 'own' | 'none';

/** A place in the lake a user works in, as `GET /datalake/status` lists it. */
export interface IArea {
  id: Area;
  /** What the UI calls it, e.g. "My area" or "Raw (Hive/Trino)". */
  title: string;
  bucket: string;
  /** Its key prefix, ending in "/", with the user's name filled in. */
  prefix: string;
  /** `s3a://bucket/prefix`, for Spark, Hive and Trino. */
  uri: string;
  read: IAccess;
  write: IAccess;
  delete: DeleteRule;
}

/**
 * What to do when a destination already exists: `ask` (the default) refuses with 409 and the
 * list of clashes so that the UI can ask first; `rename` adds " (1)" before the extension.
 */
export type ConflictPolicy = 'ask' | 'overwrite' | 'rename' | 'skip';

export type TransferState =
  'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Uploads and downloads go between home and the lake; copies and moves stay in the lake. */
export type TransferDirection = 'upload' | 'download' | 'copy' | 'move';

/** One file, or one empty folder's marker, of a transfer. */
export interface ITransferItem {
  /** Uploads: the source's file browser path (absolute for places outside it). */
  source: string;
  /** Uploads: the object key it is written to, after renaming. */
  destination: string;
  /** Size in bytes when planned. */
  bytes: number;
  done: number;
  state: TransferState | 'skipped';
  /** Why it failed or was skipped. */
  message: string | null;
  /** Whether the destination existed when the transfer was planned. */
  exists: boolean;
  /**
   * In a plan asked with conflict 'ask': where keeping both would put this clashing file (or
   * a file of a clashing folder, which is renamed as a whole); null otherwise, and beyond the
   * first 20 clashes.
   */
  renamed?: string | null;
}

/** A transfer between home and the data lake, as `GET /datalake/transfers` lists it. */
export interface ITransfer {
  id: string;
  /** `copy` and `move` run inside the lake, from `source_area` into `area`. */
  direction: TransferDirection;
  /** Copies and moves: the area the sources are read from. */
  source_area?: Area;
  /** Where an upload's file is read from: home, or the user's computer through the browser. */
  origin: 'home' | 'browser';
  area: Area;
  /** Sub-folder inside the area, without leading or trailing slash; "" for its top. */
  prefix: string;
  /** What the user picked: file browser paths for uploads. */
  sources: string[];
  conflict: ConflictPolicy;
  state: TransferState;
  /**
   * Running, with every byte of the current file moved: what was written is being checked
   * (S3 assembling an upload's parts, the checksums). `rate` and `eta` are null meanwhile.
   */
  verifying: boolean;
  /** Why it failed, in words for the user; null unless failed or cancelled. */
  message: string | null;
  bytes_total: number;
  bytes_done: number;
  files_total: number;
  files_done: number;
  files_skipped: number;
  /** Bytes per second over the last few seconds; null when not running. */
  rate: number | null;
  /** Seconds left at that rate; null when unknown. */
  eta: number | null;
  /** Seconds since the epoch. */
  created: number;
  started: number | null;
  finished: number | null;
  bucket: string;
  /** Uploads: the key of a single file, or the common key prefix ending in "/". */
  destination: string;
  /** `s3a://bucket/key` of the destination, for Spark, Hive and Trino. */
  uri: string;
  /** Per-file detail; only in `GET /datalake/transfers/{id}` and the reply to a POST. */
  items?: ITransferItem[];
}

/** Body of `POST /datalake/transfers`. */
export interface ITransferRequest {
  /** `upload` (the default) sends from home; `download` fetches keys into home. */
  direction?: 'upload' | 'download';
  /**
   * Uploads: file browser paths of files and folders in home. Downloads: object keys of the
   * area; a key ending in "/" is a folder, downloaded recursively.
   */
  sources: string[];
  /** Downloads only: the folder in home (a file browser path) to download into. */
  destination?: string;
  area: Area;
  /** Sub-folder inside the area; "" or omitted for its top. */
  prefix?: string;
  conflict?: ConflictPolicy;
  /** Plan only: answer with the keys and the clashes, start nothing. */
  dry_run?: boolean;
}

/** The reply to a dry run, and the `plan` of a 409 when `conflict` is `ask`. */
export interface ITransferPlan {
  /** What would run: a move whose sources may not be deleted is planned as a copy. */
  direction?: TransferDirection;
  area: Area;
  prefix: string;
  bucket: string;
  /** Where the files go; `exists` marks the clashes. */
  items: ITransferItem[];
  /** Destination keys that exist already. */
  conflicts: string[];
  bytes_total: number;
  files_total: number;
  destination: string;
  uri: string;
}

/**
 * Body of `POST /datalake/objects/copy`: a copy or a move inside the lake, run as a transfer.
 * A rename is a move within its folder with a `name`.
 */
export interface ICopyRequest {
  operation: 'copy' | 'move';
  /** The area of the keys. */
  area: Area;
  /** Full keys; those ending in "/" are folders, copied object by object. */
  keys: string[];
  /** Where to; the same area when omitted. */
  destination_area?: Area;
  /** The folder inside the destination area; "" for its top. */
  prefix?: string;
  /** With one key only: its new name. */
  name?: string;
  conflict?: ConflictPolicy;
  /**
   * A move whose sources the user may not delete: `refuse` (the default, a 403 saying why)
   * or `copy` (copy them instead).
   */
  undeletable?: 'refuse' | 'copy';
}

/** The reply to `POST /datalake/objects/folder`. */
export interface INewFolder {
  area: Area;
  /** The marker object's key, ending in "/". */
  key: string;
  /** The new folder inside its area, to open it. */
  prefix: string;
}

/** How long a share link works, in seconds: 1 hour, 1 day, or 7 days (SigV4's longest). */
export type ShareLifetime = 3600 | 86400 | 604800;

/** The reply to `POST /datalake/objects/share`. */
export interface IShareLink {
  /** A presigned GET URL; it reads the object without credentials until it expires. */
  url: string;
  key: string;
  lifetime: number;
  /** Seconds since the epoch. */
  expires: number;
  /** Signed for the internal endpoint: it works only inside the cluster. */
  inside_cluster_only: boolean;
}

/** A sub-folder of a data lake listing. */
export interface ILakeFolder {
  name: string;
  /** Its full key prefix, ending in "/". */
  key: string;
}

/** An object of a data lake listing. */
export interface ILakeObject {
  key: string;
  /** The name inside the listed folder. */
  name: string;
  size: number;
  /** Seconds since the epoch. */
  last_modified: number;
  etag: string;
}

/** `GET /datalake/objects`: one page of one folder level. */
export interface ILakePage {
  area: Area;
  /** The folder inside the area, without slashes at the ends; "" for its top. */
  prefix: string;
  /** The folder's full key prefix, such as `shared/projects/`. */
  key_prefix: string;
  folders: ILakeFolder[];
  objects: ILakeObject[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** `POST /datalake/objects/info`: what HeadObject says, and whether the user may delete. */
export interface IObjectInfo {
  key: string;
  size?: number;
  last_modified?: number | null;
  content_type?: string;
  /** Who uploaded it, from the metadata the extension writes; null when unknown. */
  uploader?: string | null;
  sha256?: string | null;
  source_path?: string | null;
  /** Whether the area's delete rule lets the user delete it: any object, or their own. */
  can_delete: boolean;
  missing?: boolean;
  folder?: boolean;
}

/** `POST /datalake/objects/delete` */
export interface IDeleteResult {
  deleted: number;
  failed: { key: string; message: string }[];
  /** Keys that were not in the data lake (any more): nothing to delete. */
  missing: string[];
}

/** Body of `POST /datalake/uploads`: a file from the user's computer. */
export interface IBrowserUploadRequest {
  area: Area;
  prefix?: string;
  name: string;
  size: number;
  conflict?: ConflictPolicy;
}

/** The reply to `POST /datalake/uploads`: send parts of `part_size` bytes, in order. */
export interface IBrowserUpload extends ITransfer {
  /** null when the file was skipped as existing. */
  part_size: number | null;
}

/**
 * `GET /datalake/contents`: a lake object or folder as a Jupyter contents model, for the
 * `datalake:` drive. `path` is `<area id>/<path inside the area>`; `hash` is the ETag.
 */
export interface ILakeContentsModel {
  name: string;
  path: string;
  type: 'file' | 'notebook' | 'directory';
  format: 'text' | 'base64' | 'json' | null;
  mimetype: string | null;
  content: any;
  created: string;
  last_modified: string;
  size: number | null;
  writable: boolean;
  hash: string | null;
  hash_algorithm: string | null;
  /** The full key; a folder's ends in "/". */
  key?: string;
}

/** What `GET /datalake/contents` is asked for besides the path. */
export interface ILakeContentsRequest {
  content?: boolean;
  type?: string;
  format?: string | null;
}

/** Body of `PUT /datalake/contents`: what a document saves back. */
export interface ILakeContentsSave {
  type: 'file' | 'notebook';
  format?: string | null;
  content: any;
}

/** `GET /datalake/objects/table`: a Trino CREATE TABLE over a folder of CSV or Parquet files. */
export interface ITrinoTable {
  area: Area;
  /** The folder inside the area. */
  prefix: string;
  /** `s3a://bucket/key-prefix/`, the table's external_location. */
  location: string;
  format: 'CSV' | 'PARQUET';
  catalog: string;
  schema: string;
  table: string;
  columns: { name: string; type: string }[];
  /** Files Trino would read, and how many of them had their header or footer read. */
  files: number;
  checked: number;
  /** Sub-folders of the folder, which Trino does not read. */
  subfolders: number;
  statement: string;
}

/** A match of `GET /datalake/objects/search`. */
export interface ISearchMatch {
  key: string;
  name: string;
  /** The key inside the folder searched. */
  path: string;
  /** A folder ("name/"): its marker object, or one known from the keys below it (size 0). */
  folder: boolean;
  size: number;
  last_modified: number;
  etag: string;
}

/** `GET /datalake/objects/search`: one step of a search below a folder. */
export interface ISearchStep {
  area: Area;
  prefix: string;
  key_prefix: string;
  query: string;
  matches: ISearchMatch[];
  /** Objects looked at so far, this step included. */
  searched: number;
  bound: number;
  /** The search stopped at `bound` objects; a narrower folder would search them all. */
  bounded: boolean;
  /** Pass as `cursor` for the next step; null at the end or at the bound. */
  next_cursor: string | null;
}

/** The metadata of a previewed object: what `POST /objects/info` says of it, with its ETag. */
export interface IPreviewInfo extends IObjectInfo {
  etag?: string;
}

/** How the preview looked inside an object, from its name. */
export type PreviewFormat =
  | 'csv'
  | 'tsv'
  | 'parquet'
  | 'json'
  | 'ndjson'
  | 'markdown'
  | 'text'
  | 'image'
  | 'other';

/** The first rows of a CSV, TSV or Parquet file; a null cell is a Parquet null. */
export interface IPreviewTable {
  columns: string[];
  rows: (string | null)[][];
  /** The CSV's delimiter, as read. */
  delimiter?: string;
  /** Whether the object holds more rows than these. */
  more: boolean;
}

/** A Parquet file's footer: its schema, size in rows and row groups. */
export interface IParquetSchema {
  num_rows: number;
  num_row_groups: number;
  created_by: string | null;
  format_version: string;
  columns: {
    name: string;
    type: string;
    nullable: boolean;
    compression?: string | null;
  }[];
  /** The first row groups (at most 100). */
  row_groups: { num_rows: number; total_byte_size: number }[];
}

/**
 * `GET /datalake/objects/preview`: the metadata of one object and a look inside it, read from a
 * bounded range. `message` says why there is nothing to show (an empty object, binary content
 * under a text name, a damaged Parquet file, no pyarrow on the server); `notes` what the
 * preview left out.
 */
export interface IPreview {
  area: Area;
  key: string;
  format: PreviewFormat;
  compressed: boolean;
  info: IPreviewInfo;
  /** Bytes read from S3 for this preview. */
  bytes_read: number;
  message: string | null;
  notes: string[];
  /** The command that installs pyarrow, where Parquet previews need it. */
  install?: string;
  table?: IPreviewTable;
  parquet?: IParquetSchema;
  text?: { head: string; truncated: boolean };
}
