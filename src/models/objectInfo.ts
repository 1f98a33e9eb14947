/**
 * What the server said of the objects a folder view shows (who uploaded them, who may delete
 * them), asked a batch at a time: listing a folder of thousands must not mean thousands of
 * HEAD requests. Each answer holds for the ETag the object had when asked.
 */
import { IDisposable } from '@lumino/disposable';

import { DataLakeAPI } from '../api/client';
import { Area, IObjectInfo } from '../api/types';
import { ILakeEntry } from '../logic/entries';

/** The most keys `POST /datalake/objects/info` answers at once. */
const INFO_BATCH = 200;

export class ObjectInfoCache implements IDisposable {
  constructor(options: ObjectInfoCache.IOptions) {
    this._api = options.api;
    this._area = options.area;
    this._delay = options.delay;
    this._answered = options.answered;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    this._disposed = true;
    window.clearTimeout(this._timer);
  }

  /** What the server said of an object, if asked and it has not changed since. */
  get(entry: ILakeEntry): IObjectInfo | undefined {
    const known = this._info.get(entry.key);
    return known && known.etag === entry.etag ? known.info : undefined;
  }

  /** Ask, after the delay, about the objects here not known or asked about yet. */
  want(entries: readonly ILakeEntry[]): void {
    for (const entry of entries) {
      if (
        entry.kind === 'object' &&
        !this.get(entry) &&
        this._asked.get(entry.key) !== entry.etag
      ) {
        this._queue.set(entry.key, entry.etag);
      }
    }
    if (this._queue.size > 0 && !this._timer) {
      this._timer = window.setTimeout(() => this._ask(), this._delay);
    }
  }

  /** Forget everything: another area is shown. */
  clear(): void {
    this._info.clear();
    this._asked.clear();
    this._queue.clear();
  }

  private async _ask(): Promise<void> {
    this._timer = 0;
    const area = this._area();
    const asked = Array.from(this._queue);
    this._queue.clear();
    for (const [key, etag] of asked) {
      this._asked.set(key, etag);
    }
    // The server answers at most this many keys a request.
    for (let i = 0; i < asked.length; i += INFO_BATCH) {
      const batch = asked.slice(i, i + INFO_BATCH);
      const etags = new Map(batch);
      let infos: IObjectInfo[];
      try {
        infos = await this._api.objectsInfo(
          area,
          batch.map(([key]) => key)
        );
      } catch {
        // Unknown stays unknown, and offers no Delete; a refresh asks again.
        for (const [key] of batch) {
          this._asked.delete(key);
        }
        continue;
      }
      if (this._disposed || area !== this._area()) {
        return;
      }
      for (const info of infos) {
        this._info.set(info.key, { etag: etags.get(info.key) ?? null, info });
      }
      this._answered();
    }
  }

  private _api: ObjectInfoCache.IOptions['api'];
  private _area: () => Area;
  private _delay: number;
  private _answered: () => void;
  /** What the server said of each key, for the ETag it had when asked. */
  private _info = new Map<string, { etag: string | null; info: IObjectInfo }>();
  /** Keys asked about or being asked, with the ETag asked for. */
  private _asked = new Map<string, string | null>();
  private _queue = new Map<string, string | null>();
  private _timer = 0;
  private _disposed = false;
}

export namespace ObjectInfoCache {
  export interface IOptions {
    api: Pick<DataLakeAPI, 'objectsInfo'>;
    /** The area shown now: answers for another one are dropped. */
    area: () => Area;
    /** Milliseconds to gather the objects a view shows before asking about them. */
    delay: number;
    /** Called when answers came in. */
    answered: () => void;
  }
}
