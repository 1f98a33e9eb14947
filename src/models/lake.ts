import { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import { DataLakeAPIError } from '../api/request';
import {
  Area,
  ConflictPolicy,
  IArea,
  IDeleteResult,
  IObjectInfo,
  ITransfer,
  ITransferPlan,
  ITransferRequest
} from '../api/types';
import { isReadable, startArea } from '../logic/areas';
import { ILakeEntry } from '../logic/entries';
import { FolderListing } from './folderListing';
import { ObjectInfoCache } from './objectInfo';
import { TransfersModel } from './transfers';
import { AskClash, IUploadReport, uploadFiles } from './uploadFiles';
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
 * model: the configured areas and the one shown, the folder shown, the rows loaded so far (a
 * page at a time, as S3 lists them), and what the server said of the objects shown. Views
 * listen to `changed` and `infoChanged`; every request goes through the typed client. An area
 * the status says the user may not read is not asked for at all: its refusal is what is shown.
 */
export class LakeBrowserModel implements IDisposable {
  constructor(options: LakeBrowserModel.IOptions) {
    this._api = options.api;
    this._transfers = options.transfers;
    this._objectInfo = new ObjectInfoCache({
      api: options.api,
      area: () => this.area,
      delay: options.infoDelay ?? 50,
      answered: () => this._infoChanged.emit()
    });
    this._areas = options.areas ?? [];
    this._listing = new FolderListing({
      api: options.api,
      pageSize: options.pageSize,
      levelLimit: options.levelLimit ?? LEVEL_LIMIT,
      area: options.area ?? startArea(this._areas, isReadable)?.id ?? '',
      canRead: () => this.canRead,
      changed: () => this._changed.emit()
    });
    this._uploader = new BrowserUploader(options.api);
    this._refreshSoon = new Debouncer(
      () => this.refresh(),
      options.refreshDelay ?? 500
    );
    this._transfers.finished.connect(this._onFinished, this);
  }

  get area(): Area {
    return this._listing.area;
  }

  /** The configured areas, in the order the server lists them. */
  get areas(): readonly IArea[] {
    return this._areas;
  }

  /** What the status says of the area shown; null while it is not known. */
  get current(): IArea | null {
    return this._areas.find(area => area.id === this.area) ?? null;
  }

  /** Whether the area shown may be browsed; true while nobody knows. */
  get canRead(): boolean {
    const current = this.current;
    return current === null || isReadable(current);
  }

  /**
   * Take the areas of a new status. If the area shown is no longer configured, the browser
   * moves to the first readable one; if it became readable, it is listed again.
   */
  setAreas(areas: readonly IArea[]): void {
    if (JSON.stringify(areas) === JSON.stringify(this._areas)) {
      return;
    }
    const couldRead = this.canRead;
    this._areas = areas;
    const started = this._listing.started;
    if (!areas.some(area => area.id === this.area)) {
      const next = startArea(areas, isReadable);
      if (next && started) {
        void this.open(next.id);
        return;
      }
      this._listing.area = next?.id ?? this._listing.area;
    } else if (started && !couldRead && this.canRead) {
      void this.refresh();
      return;
    }
    this._changed.emit();
  }

  /** The folder shown, inside the area, without slashes at the ends; "" for its top. */
  get prefix(): string {
    return this._listing.prefix;
  }

  /** The full key of the folder shown, ending in "/" (or ""), once listed; else null. */
  get keyPrefix(): string | null {
    return this._listing.keyPrefix;
  }

  /** The rows loaded so far, in the order the server listed them. */
  get entries(): readonly ILakeEntry[] {
    return this._listing.entries;
  }

  /** Set while the folder has more rows than loaded. */
  get nextCursor(): string | null {
    return this._listing.nextCursor;
  }

  /**
   * Whether every entry of the folder level is loaded, so that sorting and filtering cover
   * the whole folder; false while pages are still coming in, or beyond `levelLimit` entries.
   */
  get isComplete(): boolean {
    return this._listing.isComplete;
  }

  /** How many entries of a level are loaded on their own, page after page. */
  get levelLimit(): number {
    return this._listing.levelLimit;
  }

  /** The keys of the rows selected, in the folder shown. */
  get selection(): ReadonlySet<string> {
    return this._selection;
  }

  /** Select these keys of the folder shown, and only these. */
  select(keys: Iterable<string>): void {
    const next = new Set(keys);
    if (
      next.size === this._selection.size &&
      [...next].every(key => this._selection.has(key))
    ) {
      return;
    }
    this._selection = next;
    this._changed.emit();
  }

  /** The loaded rows of these keys, in the order asked; unknown keys are left out. */
  entriesOf(keys: Iterable<string>): ILakeEntry[] {
    const byKey = new Map(this.entries.map(entry => [entry.key, entry]));
    return [...keys]
      .map(key => byKey.get(key))
      .filter((entry): entry is ILakeEntry => entry !== undefined);
  }

  /** True while a page of the folder shown is in flight. */
  get isLoading(): boolean {
    return this._listing.isLoading;
  }

  /** Whether the rows are the folder's (once its first page arrived). */
  get hasLoaded(): boolean {
    return this._listing.hasLoaded;
  }

  /** Why the last listing failed; cleared by the next one. */
  get error(): DataLakeAPIError | null {
    return this._listing.error;
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
    this._objectInfo.dispose();
    this._listing.dispose();
    this._refreshSoon.dispose();
    Signal.clearData(this);
  }

  /** Show a folder of an area; "" for its top. */
  open(area: Area, prefix = ''): Promise<void> {
    if (area !== this.area) {
      this._objectInfo.clear();
    }
    this._selection = new Set();
    return this._listing.open(area, prefix);
  }

  /** Show the folder that holds the one shown. */
  up(): Promise<void> {
    const parts = this.prefix.split('/');
    return this.prefix
      ? this.open(this.area, parts.slice(0, -1).join('/'))
      : Promise.resolve();
  }

  /**
   * List the folder again, as far as it was loaded, keeping the rows shown until the new ones
   * are in: a refresh after an upload should not lose the user's place.
   */
  refresh(): Promise<void> {
    return this._listing.refresh();
  }

  /**
   * Load the next page, if there is one and nothing is loading; true if it was loaded and
   * the folder shown is still the same.
   */
  loadMore(): Promise<boolean> {
    return this._listing.loadMore();
  }

  /** Do again what failed: the next page, or the listing. */
  retry(): Promise<void> {
    return this._listing.retry();
  }

  /** What the server said of an object, if asked and it has not changed since. */
  info(entry: ILakeEntry): IObjectInfo | undefined {
    return this._objectInfo.get(entry);
  }

  /**
   * Whether the user may delete an entry; null while unknown. The area's rule comes first:
   * `none` offers nothing, `any` everything. Where users delete only their own uploads, an
   * object is theirs once the server says so, and a folder, which may hold anybody's objects,
   * is not offered. What the server said of an object is the final word wherever it was asked.
   */
  canDelete(entry: ILakeEntry): boolean | null {
    const rule = this.current?.delete;
    if (rule === 'none') {
      return false;
    }
    const info = this.info(entry);
    if (info) {
      return info.can_delete;
    }
    if (rule === 'any') {
      return true;
    }
    return entry.kind === 'folder' ? false : null;
  }

  /**
   * Ask about the objects a view shows, a batch at a time: listing a folder of thousands
   * must not mean thousands of HEAD requests. Only areas where users delete their own uploads
   * (or whose rule is not known) need it.
   */
  want(entries: readonly ILakeEntry[]): void {
    const rule = this.current?.delete;
    if (rule === 'any' || rule === 'none' || !this.canRead) {
      return;
    }
    this._objectInfo.want(entries);
  }

  /** A URL that streams an object to the user's computer. */
  downloadUrl(key: string, area: Area = this.area): string {
    return this._api.downloadUrl(area, key);
  }

  /** Delete objects, and folders (keys ending in "/") with all they hold; then list again. */
  async delete(keys: string[], area: Area = this.area): Promise<IDeleteResult> {
    try {
      return await this._api.deleteObjects(area, keys);
    } finally {
      if (area === this.area) {
        void this.refresh();
      }
    }
  }

  /** Where a download into home would put the files, and what exists there already. */
  planDownload(
    keys: string[],
    destination: string,
    area: Area = this.area
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
    area: Area = this.area
  ): Promise<ITransfer> {
    return this._transfers.startTransfer(
      downloadRequest(area, keys, destination, conflict)
    );
  }

  /**
   * Upload files from the user's computer into the folder shown, one file at a time, after
   * any upload already running. `ask` is asked what to do when a name exists already.
   */
  upload(files: readonly File[], ask: AskClash): Promise<IUploadReport> {
    // Into the folder shown now, even if another is shown once earlier uploads are done.
    const { area, prefix } = this;
    const run = () =>
      uploadFiles(files, area, prefix, ask, {
        api: this._api,
        uploader: this._uploader,
        watch: upload => this._transfers.watch(upload),
        done: () => {
          if (area === this.area && prefix === this.prefix) {
            void this._refreshSoon.invoke();
          }
        }
      });
    const result = this._uploads.then(run, run);
    this._uploads = result.catch(() => undefined);
    return result;
  }

  /** A transfer that wrote into the folder shown makes its new objects appear. */
  private _onFinished(_: unknown, transfer: ITransfer): void {
    if (
      transfer.direction === 'upload' &&
      transfer.state === 'done' &&
      transfer.area === this.area &&
      this.keyPrefix !== null &&
      transfer.destination.startsWith(this.keyPrefix)
    ) {
      void this._refreshSoon.invoke();
    }
  }

  private _api: LakeClient;
  private _transfers: LakeBrowserModel.ITransfers;
  private _selection: ReadonlySet<string> = new Set();
  private _objectInfo: ObjectInfoCache;
  private _listing: FolderListing;
  private _uploader: BrowserUploader;
  private _refreshSoon: Debouncer;
  private _areas: readonly IArea[];
  private _uploads: Promise<unknown> = Promise.resolve();
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _infoChanged = new Signal<this, void>(this);
}

/** A folder level up to this many entries is loaded whole (item 9 of issue 15). */
export const LEVEL_LIMIT = 10000;

export namespace LakeBrowserModel {
  /** The part of the transfers model the browser starts and follows transfers with. */
  export type ITransfers = Pick<
    TransfersModel,
    'plan' | 'startTransfer' | 'watch' | 'finished'
  >;

  export interface IOptions {
    api: LakeClient;
    transfers: ITransfers;
    /** The configured areas, until the status brings others. */
    areas?: readonly IArea[];
    /** The area shown first; else the first readable one. */
    area?: Area;
    /** Rows a page; the server's default when not given. */
    pageSize?: number;
    /** Entries of a level loaded without asking; `LEVEL_LIMIT` when not given. */
    levelLimit?: number;
    /** Milliseconds to gather the objects a view shows before asking about them. */
    infoDelay?: number;
    /** Milliseconds to wait after an upload before listing again, to list once for many. */
    refreshDelay?: number;
  }
}
