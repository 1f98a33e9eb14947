import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  IAtRisk,
  IClassification,
  IRescueResult,
  ISpace,
  IStatus,
  ITrashEmptied,
  IUsage
} from './tokens';

/** The namespace of the server extension's routes. */
export const API_NAMESPACE = 'datalake';

/**
 * A failed call to the server extension, with the HTTP status (0 when the Jupyter server
 * itself could not be reached) and the server's own message where it sent one.
 */
export class DataLakeAPIError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'DataLakeAPIError';
  }
}

/**
 * Call an endpoint under `{base_url}/datalake/` with the Jupyter server's authentication
 * (token header and XSRF cookie, handled by ServerConnection).
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new DataLakeAPIError(
      `The Jupyter server could not be reached: ${String(error)}`,
      0
    );
  }
  const text = await response.text();
  let data: any = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: a proxy's error page, say; keep the raw text for the message.
    }
  }
  if (!response.ok) {
    const message =
      (data && typeof data === 'object' && (data.message || data.reason)) ||
      `${response.status} ${response.statusText}`;
    throw new DataLakeAPIError(String(message), response.status);
  }
  return data as T;
}

/** The typed client every feature of the frontend talks to the server through. */
export class DataLakeAPI {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** Who the user is, which bucket, and whether it can be reached. */
  getStatus(): Promise<IStatus> {
    return requestAPI<IStatus>('status', { method: 'GET' }, this._settings);
  }

  /** Home usage against the quota; `refresh` waits for a full rescan. */
  getUsage(refresh = false): Promise<IUsage> {
    const query = refresh ? '?refresh=1' : '';
    return requestAPI<IUsage>(
      `usage${query}`,
      { method: 'GET' },
      this._settings
    );
  }

  /** Room left on the volume a file at `path` (a file browser path) would be written to. */
  getSpace(path: string): Promise<ISpace> {
    const query = new URLSearchParams({ path }).toString();
    return requestAPI<ISpace>(
      `space?${query}`,
      { method: 'GET' },
      this._settings
    );
  }

  /** What sits in non-persistent places and vanishes at restart. */
  getAtRisk(all = false, refresh = false): Promise<IAtRisk> {
    const params = new URLSearchParams();
    if (all) {
      params.set('top', '0');
    }
    if (refresh) {
      params.set('refresh', '1');
    }
    const query = params.toString() ? `?${params}` : '';
    return requestAPI<IAtRisk>(
      `at-risk${query}`,
      { method: 'GET' },
      this._settings
    );
  }

  /** Whether absolute paths survive a restart, and why. */
  async classify(paths: string[]): Promise<IClassification[]> {
    const reply = await requestAPI<{ paths: IClassification[] }>(
      'paths/classify',
      { method: 'POST', body: JSON.stringify({ paths }) },
      this._settings
    );
    return reply.paths;
  }

  /** Move entries of watched places into home's rescue folder. */
  rescue(paths: string[]): Promise<IRescueResult> {
    return requestAPI<IRescueResult>(
      'rescue',
      { method: 'POST', body: JSON.stringify({ paths }) },
      this._settings
    );
  }

  /** Delete everything in home's trash, and return the usage afterwards. */
  emptyTrash(): Promise<ITrashEmptied> {
    return requestAPI<ITrashEmptied>(
      'trash/empty',
      { method: 'POST' },
      this._settings
    );
  }
}
