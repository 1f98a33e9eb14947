/**
 * The one typed client of the server extension's REST API: every request of the frontend goes
 * through it, with the Jupyter server's authentication, and fails as a `DataLakeAPIError` that
 * carries the HTTP status and the server's own words. The replies the UI's judgements rest on
 * are checked for shape on arrival (see validate.ts).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  Area,
  IAtRisk,
  IBrowserUpload,
  IBrowserUploadRequest,
  IDeleteResult,
  ILakeContentsModel,
  ILakeContentsRequest,
  ILakeContentsSave,
  ILakePage,
  IObjectInfo,
  IClassification,
  ICopyRequest,
  INewFolder,
  IPreview,
  IShareLink,
  IRescueResult,
  ISearchStep,
  ITrinoTable,
  ShareLifetime,
  ISpace,
  IStatus,
  ITransfer,
  ITransferPlan,
  ITransferRequest,
  ITrashEmptied,
  IUsage,
  IUsageUnchanged
} from './types';
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

/** The typed client every feature of the frontend talks to the server through. */
export class DataLakeAPI {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** Who the user is, which bucket, and whether it can be reached. */
  getStatus(): Promise<IStatus> {
    return requestAPI<IStatus>(
      'status',
      { method: 'GET' },
      this._settings,
      shapes.status
    );
  }

  /**
   * The usage, or that it is still `version`: a poll that costs the server a statvfs, and that
   * rescans when home may have changed outside JupyterLab.
   */
  pollUsage(version: number): Promise<IUsage | IUsageUnchanged> {
    return requestAPI<IUsage | IUsageUnchanged>(
      `usage?since=${version}`,
      { method: 'GET' },
      this._settings,
      shapes.usagePoll
    );
  }

  /** Home usage against the quota; `refresh` waits for a full rescan. */
  getUsage(refresh = false): Promise<IUsage> {
    const query = refresh ? '?refresh=1' : '';
    return requestAPI<IUsage>(
      `usage${query}`,
      { method: 'GET' },
      this._settings,
      shapes.usage
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
      this._settings,
      shapes.usage
    );
  }

  /** Transfers of this server, newest first, without per-file detail. */
  async listTransfers(): Promise<ITransfer[]> {
    const reply = await requestAPI<{ transfers: ITransfer[] }>(
      'transfers',
      { method: 'GET' },
      this._settings,
      shapes.transferList
    );
    return reply.transfers;
  }

  /** One transfer with its per-file detail. */
  getTransfer(id: string): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `transfers/${encodeURIComponent(id)}`,
      { method: 'GET' },
      this._settings,
      shapes.transfer
    );
  }

  /** Where the files would go and which keys clash; starts nothing. */
  planTransfer(request: ITransferRequest): Promise<ITransferPlan> {
    return requestAPI<ITransferPlan>(
      'transfers',
      { method: 'POST', body: JSON.stringify({ ...request, dry_run: true }) },
      this._settings
    );
  }

  /**
   * Start a transfer. With `conflict: 'ask'` and a clash, this fails with status 409;
   * plan first to ask the user.
   */
  startTransfer(request: ITransferRequest): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      'transfers',
      { method: 'POST', body: JSON.stringify({ ...request, dry_run: false }) },
      this._settings,
      shapes.transfer
    );
  }

  /** Cancel a queued or running transfer; remove a finished one from the list. */
  async deleteTransfer(id: string): Promise<void> {
    await requestAPI<unknown>(
      `transfers/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
      this._settings
    );
  }

  /** Remove every finished, failed or cancelled transfer from the list. */
  async clearTransfers(): Promise<void> {
    await requestAPI<unknown>(
      'transfers',
      { method: 'DELETE' },
      this._settings
    );
  }

  /** Run a failed or cancelled transfer again. */
  retryTransfer(id: string): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `transfers/${encodeURIComponent(id)}/retry`,
      { method: 'POST' },
      this._settings,
      shapes.transfer
    );
  }

  /** One page of one folder level of an area; `cursor` is the previous page's next_cursor. */
  listObjects(
    area: Area,
    prefix: string,
    cursor: string | null = null,
    limit?: number
  ): Promise<ILakePage> {
    const params = new URLSearchParams({ area, prefix });
    if (cursor) {
      params.set('cursor', cursor);
    }
    if (limit) {
      params.set('limit', String(limit));
    }
    return requestAPI<ILakePage>(
      `objects?${params}`,
      { method: 'GET' },
      this._settings,
      shapes.lakePage
    );
  }

  /** Uploader and permissions of a few keys (at most 200). */
  async objectsInfo(area: Area, keys: string[]): Promise<IObjectInfo[]> {
    const reply = await requestAPI<{ objects: IObjectInfo[] }>(
      'objects/info',
      { method: 'POST', body: JSON.stringify({ area, keys }) },
      this._settings
    );
    return reply.objects;
  }

  /** Delete objects, and folders (keys ending in "/") recursively. */
  deleteObjects(area: Area, keys: string[]): Promise<IDeleteResult> {
    return requestAPI<IDeleteResult>(
      'objects/delete',
      { method: 'POST', body: JSON.stringify({ area, keys }) },
      this._settings
    );
  }

  /** A new, empty folder `name` in the folder `prefix` of an area. */
  createFolder(area: Area, prefix: string, name: string): Promise<INewFolder> {
    return requestAPI<INewFolder>(
      'objects/folder',
      { method: 'POST', body: JSON.stringify({ area, prefix, name }) },
      this._settings,
      shapes.newFolder
    );
  }

  /** Where a copy or move would put each object and which clash; starts nothing. */
  planCopy(request: ICopyRequest): Promise<ITransferPlan> {
    return requestAPI<ITransferPlan>(
      'objects/copy',
      { method: 'POST', body: JSON.stringify({ ...request, dry_run: true }) },
      this._settings
    );
  }

  /**
   * Start a copy or move inside the lake, a transfer like the others. With `conflict: 'ask'`
   * and a clash, this fails with status 409; plan first to ask the user.
   */
  startCopy(request: ICopyRequest): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      'objects/copy',
      { method: 'POST', body: JSON.stringify({ ...request, dry_run: false }) },
      this._settings,
      shapes.transfer
    );
  }

  /** A presigned link to one object, working for `lifetime` seconds. */
  shareLink(
    area: Area,
    key: string,
    lifetime: ShareLifetime
  ): Promise<IShareLink> {
    return requestAPI<IShareLink>(
      'objects/share',
      { method: 'POST', body: JSON.stringify({ area, key, lifetime }) },
      this._settings,
      shapes.shareLink
    );
  }

  /** The Trino CREATE TABLE that reads a folder (`prefix`, inside the area) as a table. */
  trinoTable(area: Area, prefix: string, name?: string): Promise<ITrinoTable> {
    const params = new URLSearchParams({ area, prefix });
    if (name) {
      params.set('name', name);
    }
    return requestAPI<ITrinoTable>(
      `objects/table?${params}`,
      { method: 'GET' },
      this._settings,
      shapes.trinoTable
    );
  }

  /** One step of a search by name below a folder; `cursor` is the last step's next_cursor. */
  searchObjects(
    area: Area,
    prefix: string,
    query: string,
    cursor: string | null = null
  ): Promise<ISearchStep> {
    const params = new URLSearchParams({ area, prefix, q: query });
    if (cursor) {
      params.set('cursor', cursor);
    }
    return requestAPI<ISearchStep>(
      `objects/search?${params}`,
      { method: 'GET' },
      this._settings,
      shapes.searchStep
    );
  }

  /**
   * A URL that streams an object to the user's computer, for an `<a download>`. Such a link
   * cannot send the token header, and it needs none: the web browser sends the Jupyter
   * server's login cookie with this same-origin GET, as it does for JupyterLab's own
   * `/files/`. The token stays out of the URL, because URLs end up in server and proxy logs
   * and in the browser's download history.
   */
  downloadUrl(area: Area, key: string): string {
    const params = new URLSearchParams({ area, key });
    return (
      URLExt.join(this._settings.baseUrl, API_NAMESPACE, 'objects/download') +
      `?${params}`
    );
  }

  /** The metadata of one object and a look inside it, read from a bounded range. */
  previewObject(area: Area, key: string): Promise<IPreview> {
    const params = new URLSearchParams({ area, key });
    return requestAPI<IPreview>(
      `objects/preview?${params}`,
      { method: 'GET' },
      this._settings,
      shapes.preview
    );
  }

  /** Open an upload from the user's computer; then send parts, then complete. */
  openUpload(request: IBrowserUploadRequest): Promise<IBrowserUpload> {
    return requestAPI<IBrowserUpload>(
      'uploads',
      { method: 'POST', body: JSON.stringify(request) },
      this._settings
    );
  }

  /** Part `n` (from 1, in order) of an upload from the user's computer. */
  uploadPart(id: string, n: number, part: Blob): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `uploads/${encodeURIComponent(id)}/${n}`,
      { method: 'PUT', body: part },
      this._settings
    );
  }

  /** Finish an upload from the user's computer once every part is sent. */
  completeUpload(id: string): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `uploads/${encodeURIComponent(id)}/complete`,
      { method: 'POST' },
      this._settings
    );
  }

  /**
   * A lake object or folder as a Jupyter contents model (`path`: `<area id>/<path inside>`).
   * An object above the server's open limit fails with status 413.
   */
  getContents(
    path: string,
    request: ILakeContentsRequest = {}
  ): Promise<ILakeContentsModel> {
    const params = new URLSearchParams({
      path,
      content: request.content === false ? '0' : '1'
    });
    if (request.type) {
      params.set('type', request.type);
    }
    if (request.format) {
      params.set('format', request.format);
    }
    return requestAPI<ILakeContentsModel>(
      `contents?${params}`,
      { method: 'GET' },
      this._settings,
      shapes.contentsModel
    );
  }

  /**
   * Save a document back to its object, only if the object's ETag is still `etag` ("" for an
   * object that must not exist yet); fails with status 412 when it changed meanwhile.
   */
  saveContents(
    path: string,
    etag: string,
    model: ILakeContentsSave
  ): Promise<ILakeContentsModel> {
    return requestAPI<ILakeContentsModel>(
      'contents',
      { method: 'PUT', body: JSON.stringify({ path, etag, model }) },
      this._settings,
      shapes.contentsModel
    );
  }
}
