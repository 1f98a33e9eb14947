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
}

export namespace CommandIDs {
  export const openPanel = 'datalake:open-storage-panel';
  export const refreshStatus = 'datalake:refresh-status';
}

export const PLUGIN_ID = 'jupyterlab-datalake:plugin';
export const PANEL_ID = 'jp-datalake-storage';
