import { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI, DataLakeAPIError, isConflict } from '../api/client';
import {
  Area,
  ConflictPolicy,
  IBrowserUpload,
  IDeleteResult,
  ILakePage,
  IObjectInfo,
  ITransfer,
  ITransferPlan,
  ITransferRequest
} from '../api/types';
import { ILakeEntry, pageEntries } from '../logic/entries';
import { normalizePrefix } from '../logic/keys';
import { TransfersModel } from './transfers';
import { BrowserUploader } from './uploads';

/** Fetch keys of an area (folders, ending in "/", with all they hold) into a folder of home. */
function downloadRequest(
  area: Area,
  keys: string[],
  destination: string,
  conflict: ConflictPolicy
): ITransferRequest {
  return { direction: 'download', area, sources: keys, destination, conflict };
}

/** The part of the typed client that the browser and its uploads use. */
export type LakeClient = Pick<
  DataLakeAPI,
  | 'listObjects'
  | 'objectsInfo'
  | 'deleteObjects'
  | 'downloadUrl'
  | 'openUpload'
  | 'uploadPart'
  | 'completeUpload'
  | 'deleteTransfer'
>;

/**
 * A folder of the data lake as the browser shows it, in the manner of the file browser's
 * model: the area and folder shown, the rows loaded so far (a page at a time, as S3 lists
 * them), and what the server said of the objects shown. Views listen to `changed` and
 * `infoChanged`; every request goes through the typed client.
 */
export class LakeBrowserModel implements IDisposable {
  constructor(options: LakeBrowserModel.IOptions) {
    this._api = options.api;
    this._transfers = options.transfers;
    this._pageSize = options.pageSize;
    this._infoDelay = options.infoDelay ?? 50;
    this._area = options.area ?? 'mine';
    this._uploader = new BrowserUploader(options.api);
    this._refreshSoon = new Debouncer(
      () => this.refresh(),
      options.refreshDelay ?? 500
    );
    this._transfers.finished.connect(this._onFinished, this);
  }

  get area(): Area {
    return this._area;
  }

  /** The folder shown, inside the area, without slashes at the ends; "" for its top. */
  get prefix(): string {
    return this._prefix;
  }

  /** The rows loaded so far, in the order the server listed them. */
  get entries(): readonly ILakeEntry[] {
    return this._entries;
  }

  /** Set while the folder has more rows than loaded. */
  get nextCursor(): string | null {
    return this._cursor;
  }

  /** True while a page of the folder shown is in flight. */
  get isLoading(): boolean {
    return this._loading;
  }

  /** Whether the rows are the folder's (once its first page arrived). */
  get hasLoaded(): boolean {
    return this._loaded;
  }

  /** Why the last listing failed; cleared by the next one. */
  get error(): DataLakeAPIError | null {
    return this._error;
  }

  /** The folder, the rows, or the loading state changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** More is known of the objects shown: who uploaded them, who may delete them. */
  get infoChanged(): ISignal<this, void> {
    return this._infoChanged;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.clearTimeout(this._infoTimer);
    this._refreshSoon.dispose();
    Signal.clearData(this);
  }

  /** Show a folder of an area; "" for its top. */
  open(area: Area, prefix = ''): Promise<void> {
    if (area !== this._area) {
      this._info.clear();
      this._asked.clear();
      this._queue.clear();
    }
    this._area = area;
    this._prefix = normalizePrefix(prefix);
    this._entries = [];
    this._cursor = null;
    this._loaded = false;
    return this._list(0);
  }

  /** Show the folder that holds the one shown. */
  up(): Promise<void> {
    const parts = this._prefix.split('/');
    return this._prefix
      ? this.open(this._area, parts.slice(0, -1).join('/'))
      : Promise.resolve();
  }

  /**
   * List the folder again, as far as it was loaded, keeping the rows shown until the new ones
   * are in: a refresh after an upload should not lose the user's place.
   */
  refresh(): Promise<void> {
    return this._list(this._entries.length);
  }

  /** Load the next page, if there is one and nothing is loading. */
  async loadMore(): Promise<void> {
    const cursor = this._cursor;
    if (!cursor || this._loading) {
      return;
    }
    const generation = this._generation;
    this._setLoading(true);
    try {
      const page = await this._api.listObjects(
        this._area,
        this._prefix,
        cursor,
        this._pageSize
      );
      if (generation === this._generation) {
        this._entries = [...this._entries, ...pageEntries(page)];
        this._cursor = page.next_cursor;
        this._setLoading(false);
      }
    } catch (error) {
      if (generation === this._generation) {
        this._failed(error, 'more');
      }
    }
  }

  /** Do again what failed: the next page, or the listing. */
  retry(): Promise<void> {
    return this._retryMore ? this.loadMore() : this.refresh();
  }

  /** What the server said of an object, if asked and it has not changed since. */
  info(entry: ILakeEntry): IObjectInfo | undefined {
    const known = this._info.get(entry.key);
    return known && known.etag === entry.etag ? known.info : undefined;
  }

  /**
   * Whether the user may delete an entry; null while unknown. Everything in the user's area
   * is theirs; in shared/, an object is theirs when they uploaded it, and a folder, which may
   * hold anybody's objects, is not offered.
   */
  canDelete(entry: ILakeEntry): boolean | null {
    if (this._area === 'mine') {
      return true;
    }
    if (entry.kind === 'folder') {
      return false;
    }
    return this.info(entry)?.can_delete ?? null;
  }

  /**
   * Ask about the objects a view shows, a batch at a time: listing a folder of thousands
   * must not mean thousands of HEAD requests. Only shared/ needs it.
   */
  want(entries: readonly ILakeEntry[]): void {
    if (this._area !== 'shared') {
      return;
    }
    for (const entry of entries) {
      if (
        entry.kind === 'object' &&
        !this.info(entry) &&
        this._asked.get(entry.key) !== entry.etag
      ) {
        this._queue.set(entry.key, entry.etag);
      }
    }
    if (this._queue.size > 0 && !this._infoTimer) {
      this._infoTimer = window.setTimeout(
        () => this._askInfo(),
        this._infoDelay
      );
    }
  }

  /** A URL that streams an object to the user's computer. */
  downloadUrl(key: string, area: Area = this._area): string {
    return this._api.downloadUrl(area, key);
  }

  /** Delete objects, and folders (keys ending in "/") with all they hold; then list again. */
  async delete(
    keys: string[],
    area: Area = this._area
  ): Promise<IDeleteResult> {
    try {
      return await this._api.deleteObjects(area, keys);
    } finally {
      if (area === this._area) {
        void this.refresh();
      }
    }
  }

  /** Where a download into home would put the files, and what exists there already. */
  planDownload(
    keys: string[],
    destination: string,
    area: Area = this._area
  ): Promise<ITransferPlan> {
    return this._transfers.plan(
      downloadRequest(area, keys, destination, 'ask')
    );
  }

  /**
   * Start downloading keys into a folder of home (a file browser path, "" for the root); with
   * `conflict` 'ask' this fails with 409 if anything there would be replaced.
   */
  download(
    keys: string[],
    destination: string,
    conflict: ConflictPolicy,
    area: Area = this._area
  ): Promise<ITransfer> {
    return this._transfers.startTransfer(
      downloadRequest(area, keys, destination, conflict)
    );
  }

  /**
   * Upload files from the user's computer into the folder shown, one file at a time, after
   * any upload already running. `ask` is asked what to do when a name exists already.
   */
  upload(
    files: readonly File[],
    ask: LakeBrowserModel.AskClash
  ): Promise<LakeBrowserModel.IUploadReport> {
    // Into the folder shown now, even if another is shown once earlier uploads are done.
    const { area, prefix } = this;
    const run = () => this._uploadAll(files, area, prefix, ask);
    const result = this._uploads.then(run, run);
    this._uploads = result.catch(() => undefined);
    return result;
  }

  private async _uploadAll(
    files: readonly File[],
    area: Area,
    prefix: string,
    ask: LakeBrowserModel.AskClash
  ): Promise<LakeBrowserModel.IUploadReport> {
    const report: LakeBrowserModel.IUploadReport = {
      done: [],
      skipped: [],
      stopped: [],
      failed: []
    };
    let always: ConflictPolicy | null = null;
    for (const [i, file] of files.entries()) {
      let upload: IBrowserUpload | null = null;
      // A remembered "skip" still opens with 'ask', so that skipping makes no transfer.
      let conflict: ConflictPolicy =
        always && always !== 'skip' ? always : 'ask';
      try {
        while (!upload) {
          try {
            upload = await this._api.openUpload({
              area,
              prefix,
              name: file.name,
              size: file.size,
              conflict
            });
          } catch (error) {
            if (!isConflict(error) || conflict !== 'ask') {
              throw error;
            }
            const answer: LakeBrowserModel.IClashAnswer =
              always === 'skip'
                ? { conflict: 'skip', always: true }
                : await ask(file.name, files.length - i - 1);
            if (answer.always) {
              always = answer.conflict;
            }
            if (answer.conflict === 'skip') {
              break;
            }
            conflict = answer.conflict;
          }
        }
        if (!upload) {
          report.skipped.push(file.name);
          continue;
        }
        void this._transfers.watch(upload).catch(() => undefined);
        const outcome = await this._uploader.send(upload, file);
        if (outcome !== 'failed') {
          report[outcome].push(file.name);
        }
        if (
          outcome === 'done' &&
          area === this._area &&
          prefix === this._prefix
        ) {
          void this._refreshSoon.invoke();
        }
      } catch (error) {
        report.failed.push({
          name: file.name,
          message: (error as Error).message
        });
      }
    }
    return report;
  }

  /** A transfer that wrote into the folder shown makes its new objects appear. */
  private _onFinished(_: unknown, transfer: ITransfer): void {
    if (
      transfer.direction === 'upload' &&
      transfer.state === 'done' &&
      transfer.area === this._area &&
      this._keyPrefix !== null &&
      transfer.destination.startsWith(this._keyPrefix)
    ) {
      void this._refreshSoon.invoke();
    }
  }

  /**
   * List the folder shown from its first page until at least `atLeast` rows are in. Only the
   * newest listing is applied: opening another folder while a page of this one is in flight
   * must not show this one's rows there.
   */
  private async _list(atLeast: number): Promise<void> {
    const generation = ++this._generation;
    const area = this._area;
    const prefix = this._prefix;
    this._setLoading(true);
    try {
      const entries: ILakeEntry[] = [];
      let cursor: string | null = null;
      let keyPrefix: string;
      do {
        const page: ILakePage = await this._api.listObjects(
          area,
          prefix,
          cursor,
          this._pageSize
        );
        if (generation !== this._generation) {
          return;
        }
        entries.push(...pageEntries(page));
        cursor = page.next_cursor;
        keyPrefix = page.key_prefix;
      } while (cursor && entries.length < atLeast);
      this._entries = entries;
      this._cursor = cursor;
      this._keyPrefix = keyPrefix;
      this._loaded = true;
      this._setLoading(false);
    } catch (error) {
      if (generation === this._generation) {
        this._failed(error, 'list');
      }
    }
  }

  private _setLoading(loading: boolean): void {
    this._loading = loading;
    if (loading) {
      this._error = null;
    }
    this._changed.emit();
  }

  private _failed(error: unknown, during: 'list' | 'more'): void {
    this._error =
      error instanceof DataLakeAPIError
        ? error
        : new DataLakeAPIError(String(error), 0);
    this._retryMore = during === 'more';
    this._loading = false;
    this._changed.emit();
  }

  private async _askInfo(): Promise<void> {
    this._infoTimer = 0;
    const area = this._area;
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
      if (this._disposed || area !== this._area) {
        return;
      }
      for (const info of infos) {
        this._info.set(info.key, { etag: etags.get(info.key) ?? null, info });
      }
      this._infoChanged.emit();
    }
  }

  private _api: LakeClient;
  private _transfers: LakeBrowserModel.ITransfers;
  private _pageSize: number | undefined;
  private _infoDelay: number;
  private _uploader: BrowserUploader;
  private _refreshSoon: Debouncer;
  private _area: Area;
  private _prefix = '';
  private _keyPrefix: string | null = null;
  private _entries: ILakeEntry[] = [];
  private _cursor: string | null = null;
  private _loading = false;
  private _loaded = false;
  private _error: DataLakeAPIError | null = null;
  private _retryMore = false;
  private _generation = 0;
  /** What the server said of each key, for the ETag it had when asked. */
  private _info = new Map<string, { etag: string | null; info: IObjectInfo }>();
  /** Keys asked about or being asked, with the ETag asked for. */
  private _asked = new Map<string, string | null>();
  private _queue = new Map<string, string | null>();
  private _infoTimer = 0;
  private _uploads: Promise<unknown> = Promise.resolve();
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _infoChanged = new Signal<this, void>(this);
}

/** The most keys `POST /datalake/objects/info` answers at once. */
const INFO_BATCH = 200;

export namespace LakeBrowserModel {
  /** The part of the transfers model the browser starts and follows transfers with. */
  export type ITransfers = Pick<
    TransfersModel,
    'plan' | 'startTransfer' | 'watch' | 'finished'
  >;

  export interface IOptions {
    api: LakeClient;
    transfers: ITransfers;
    /** The area shown first. */
    area?: Area;
    /** Rows a page; the server's default when not given. */
    pageSize?: number;
    /** Milliseconds to gather the objects a view shows before asking about them. */
    infoDelay?: number;
    /** Milliseconds to wait after an upload before listing again, to list once for many. */
    refreshDelay?: number;
  }

  /** What the user chose for a file whose name exists already. */
  export interface IClashAnswer {
    conflict: 'overwrite' | 'rename' | 'skip';
    /** Do the same for the next files that clash. */
    always: boolean;
  }

  /** Ask the user about a clash; `remaining` files come after this one. */
  export type AskClash = (
    name: string,
    remaining: number
  ) => Promise<IClashAnswer>;

  /** The names of the files of an upload, by how each ended. */
  export interface IUploadReport {
    done: string[];
    skipped: string[];
    stopped: string[];
    /** Failures no notification has told; the server recorded none of these. */
    failed: { name: string; message: string }[];
  }
}
