import { Signal } from '@lumino/signaling';

import { DataLakeAPIError } from '../api';
import { ILakeEntry, LakeBrowserModel } from '../lake';
import {
  Area,
  IBrowserUpload,
  IBrowserUploadRequest,
  ILakePage,
  IObjectInfo,
  ITransfer
} from '../tokens';
import { transfer } from './fixtures';

/** An object row; its key is its name until a fake lake lists it in a folder. */
export function object(name: string, size = 1, modified = 0): ILakeEntry {
  return {
    kind: 'object',
    key: name,
    name,
    size,
    modified,
    etag: `etag-${name}`
  };
}

export function folder(name: string): ILakeEntry {
  return {
    kind: 'folder',
    key: `${name}/`,
    name,
    size: null,
    modified: null,
    etag: null
  };
}

/** An upload from the browser as the server opens it. */
export function upload(id: string, partSize: number | null): IBrowserUpload {
  return {
    ...transfer(id, partSize === null ? 'done' : 'running'),
    origin: 'browser',
    part_size: partSize
  };
}

const AREAS: Record<Area, string> = { shared: 'shared/', mine: 'users/ada/' };

/**
 * A data lake in memory behind the typed client's methods, with a hand on the timing of
 * listings: `hold` keeps the next page of a folder in flight until released.
 */
export class FakeLake {
  /** Rows of each folder, by the folder's full key prefix. */
  folders: Record<string, ILakeEntry[]> = {};
  /** Keys that exist, for clashes on upload. */
  existing = new Set<string>();
  /** Uploads the server refuses to open, by file name. */
  refuse = new Map<string, Error>();
  /** Fails the next listing. */
  failNext: Error | null = null;
  /** `name:conflict` of every upload opened, in order. */
  opened: string[] = [];
  /** `area:prefix/name` of every upload completed. */
  uploadedTo: string[] = [];

  hold(keyPrefix: string): { release: () => void } {
    let release = () => undefined as void;
    this._held.set(
      keyPrefix,
      new Promise<void>(resolve => {
        release = resolve;
      })
    );
    return { release: () => release() };
  }

  readonly api = {
    listObjects: jest.fn(
      async (
        area: Area,
        prefix: string,
        cursor: string | null = null,
        limit = 500
      ): Promise<ILakePage> => {
        const keyPrefix = AREAS[area] + (prefix ? `${prefix}/` : '');
        const held = this._held.get(keyPrefix);
        if (held) {
          this._held.delete(keyPrefix);
          await held;
        }
        if (this.failNext) {
          const error = this.failNext;
          this.failNext = null;
          throw error;
        }
        const start = Number(cursor ?? 0);
        const rows = (this.folders[keyPrefix] ?? []).slice(
          start,
          start + limit
        );
        const end = start + rows.length;
        return {
          area,
          prefix,
          key_prefix: keyPrefix,
          folders: rows
            .filter(row => row.kind === 'folder')
            .map(row => ({ name: row.name, key: `${keyPrefix}${row.name}/` })),
          objects: rows
            .filter(row => row.kind === 'object')
            .map(row => ({
              key: keyPrefix + row.name,
              name: row.name,
              size: row.size ?? 0,
              last_modified: row.modified ?? 0,
              etag: row.etag ?? ''
            })),
          next_cursor:
            end < (this.folders[keyPrefix] ?? []).length ? String(end) : null
        };
      }
    ),
    // Even-numbered objects are the user's own; the others Bob's.
    objectsInfo: jest.fn(
      async (area: Area, keys: string[]): Promise<IObjectInfo[]> =>
        keys.map(key => {
          const mine = parseInt(key.split('/').pop() ?? '', 10) % 2 !== 1;
          return { key, uploader: mine ? 'ada' : 'bob', can_delete: mine };
        })
    ),
    deleteObjects: jest.fn(async (area: Area, keys: string[]) => ({
      deleted: keys.length,
      failed: [],
      missing: []
    })),
    downloadUrl: (area: Area, key: string) =>
      `/download?area=${area}&key=${key}`,
    openUpload: jest.fn(
      async (request: IBrowserUploadRequest): Promise<IBrowserUpload> => {
        const { area, prefix, name, conflict } = request;
        this.opened.push(`${name}:${conflict}`);
        const refused = this.refuse.get(name);
        if (refused) {
          throw refused;
        }
        const key = AREAS[area] + (prefix ? `${prefix}/` : '') + name;
        if (this.existing.has(key) && conflict === 'ask') {
          throw new DataLakeAPIError(`${key} exists already.`, 409);
        }
        const id = `up-${this.opened.length}`;
        this._uploads.set(id, `${area}:${prefix ? `${prefix}/` : ''}${name}`);
        return upload(
          id,
          this.existing.has(key) && conflict === 'skip' ? null : 4
        );
      }
    ),
    uploadPart: jest.fn(async (id: string) => transfer(id, 'running')),
    completeUpload: jest.fn(async (id: string) => {
      this.uploadedTo.push(this._uploads.get(id) ?? id);
      return transfer(id, 'done');
    }),
    deleteTransfer: jest.fn(async () => undefined)
  };

  readonly transfers = {
    plan: jest.fn(),
    startTransfer: jest.fn(),
    watch: jest.fn(async (t: ITransfer) => t),
    finished: new Signal<any, ITransfer>(this)
  } as unknown as LakeBrowserModel.ITransfers & {
    watch: jest.Mock;
    plan: jest.Mock;
    startTransfer: jest.Mock;
  };

  private _held = new Map<string, Promise<void>>();
  private _uploads = new Map<string, string>();
}
