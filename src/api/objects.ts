/**
 * The lake objects' part of the one typed client (client.ts): listing, operations, sharing,
 * Trino tables, search, download links, previews and the Jupyter contents of lake objects.
 */
import { URLExt } from '@jupyterlab/coreutils';

import { API_NAMESPACE, APIConnection, requestAPI } from './request';
import {
  Area,
  ICopyRequest,
  IDeleteResult,
  ILakeContentsModel,
  ILakeContentsRequest,
  ILakeContentsSave,
  ILakePage,
  INewFolder,
  IObjectInfo,
  IPreview,
  ISearchStep,
  IShareLink,
  ITransfer,
  ITransferPlan,
  ITrinoTable,
  ShareLifetime
} from './types';
import * as shapes from './validate';

/** The requests about the objects of the lake's areas. */
export class LakeObjectsAPI extends APIConnection {
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
