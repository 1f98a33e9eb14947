/**
 * Shapes of the server's REST API under `{base_url}/datalake/`, documented in
 * docs/rest-api.yaml. Every request goes through `api.ts`, so this file is the one place the
 * frontend's view of the API can drift from the server's.
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
  /** Key prefixes of the two areas a user works in. */
  areas: { shared: string; mine: string } | null;
  connection: IConnection;
  /** Seconds since the epoch at which the server checked the bucket. */
  checked_at: number;
  /** Whether the file browser's root survives a restart; null when unknown. */
  root: IClassification | null;
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
  trash: IUsageEntry;
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

export namespace CommandIDs {
  export const openPanel = 'datalake:open-storage-panel';
  export const refreshStatus = 'datalake:refresh-status';
  export const refreshUsage = 'datalake:refresh-usage';
}

export const PLUGIN_ID = 'jupyterlab-datalake:plugin';
export const PANEL_ID = 'jp-datalake-storage';
