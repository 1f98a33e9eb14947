/**
 * The core of the one typed client (client.ts): how a request reaches the server extension,
 * with the Jupyter server's authentication, and how it fails, as a `DataLakeAPIError` that
 * carries the HTTP status and the server's own words. The replies the UI's judgements rest on
 * are checked for shape on arrival (see validate.ts).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import * as shapes from './validate';

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

/** Whether a request failed because something exists already, or changed meanwhile (409). */
export function isConflict(error: unknown): boolean {
  return error instanceof DataLakeAPIError && error.status === 409;
}

/**
 * Call an endpoint under `{base_url}/datalake/` with the Jupyter server's authentication
 * (token header and XSRF cookie, handled by ServerConnection). With `check`, a reply of
 * another shape fails with the HTTP status and a message naming the wrong field.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  check?: shapes.Check
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
  if (check) {
    const request = `${init.method ?? 'GET'} /${API_NAMESPACE}/${endPoint.split('?')[0]}`;
    try {
      return shapes.checked<T>(check, data, request);
    } catch (error) {
      throw new DataLakeAPIError((error as Error).message, response.status);
    }
  }
  return data as T;
}

/**
 * What every part of the client shares: the Jupyter server's connection settings, which each
 * request is made with. The parts extend it, one concern each, into the one client.
 */
export abstract class APIConnection {
  constructor(
    protected readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}
}
