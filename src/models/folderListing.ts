/**
 * The rows of the folder a lake browser shows, loaded a page at a time as S3 lists them, and
 * the state of that loading. Only the newest listing is applied: opening another folder while
 * a page of this one is in flight must not show this one's rows there.
 */
import { DataLakeAPI } from '../api/client';
import { DataLakeAPIError } from '../api/request';
import { Area, ILakePage } from '../api/types';
import { ILakeEntry, pageEntries } from '../logic/entries';
import { normalizePrefix } from '../logic/keys';

export class FolderListing {
  constructor(options: FolderListing.IOptions) {
    this._api = options.api;
    this._pageSize = options.pageSize;
    this._levelLimit = options.levelLimit;
    this._area = options.area;
    this._canRead = options.canRead;
    this._changed = options.changed;
  }

  get area(): Area {
    return this._area;
  }

  /** Take another area without listing it (nothing was listed yet). */
  set area(area: Area) {
    this._area = area;
  }

  get prefix(): string {
    return this._prefix;
  }

  get keyPrefix(): string | null {
    return this._keyPrefix;
  }

  get entries(): readonly ILakeEntry[] {
    return this._entries;
  }

  get nextCursor(): string | null {
    return this._cursor;
  }

  get isComplete(): boolean {
    return this._loaded && this._cursor === null;
  }

  get levelLimit(): number {
    return this._levelLimit;
  }

  get isLoading(): boolean {
    return this._loading;
  }

  get hasLoaded(): boolean {
    return this._loaded;
  }

  get error(): DataLakeAPIError | null {
    return this._error;
  }

  /** Whether anything was listed yet. */
  get started(): boolean {
    return this._generation > 0;
  }

  dispose(): void {
    this._disposed = true;
  }

  /** List a folder of an area from its start. */
  open(area: Area, prefix: string): Promise<void> {
    this._area = area;
    this._prefix = normalizePrefix(prefix);
    this._entries = [];
    this._cursor = null;
    this._loaded = false;
    return this._list(0);
  }

  /** List the folder again as far as it was loaded, keeping the rows until the new ones are in. */
  refresh(): Promise<void> {
    return this._list(this._entries.length);
  }

  /**
   * Load the next page, if there is one and nothing is loading; true if it was loaded and
   * the folder shown is still the same.
   */
  async loadMore(): Promise<boolean> {
    const cursor = this._cursor;
    if (!cursor || this._loading) {
      return false;
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
        return true;
      }
    } catch (error) {
      if (generation === this._generation) {
        this._failed(error, 'more');
      }
    }
    return false;
  }

  /** Do again what failed: the next page, or the listing. */
  async retry(): Promise<void> {
    if (this._retryMore) {
      if (await this.loadMore()) {
        await this._loadLevel();
      }
    } else {
      await this.refresh();
    }
  }

  /** List the folder from its first page until at least `atLeast` rows are in. */
  private async _list(atLeast: number): Promise<void> {
    const generation = ++this._generation;
    const area = this._area;
    const prefix = this._prefix;
    if (!area || !this._canRead()) {
      // Nothing to list, or S3 refuses it: the view says why, and asks nobody.
      this._entries = [];
      this._cursor = null;
      this._loaded = false;
      this._loading = false;
      this._error = null;
      this._changed();
      return;
    }
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
      return;
    }
    await this._loadLevel();
  }

  /**
   * Load the rest of the folder level, page after page, up to `levelLimit` entries: sorting
   * by size or filtering by name must cover the whole folder, not the first page. The first
   * page is shown at once; the others come in behind it. Beyond the limit the user loads
   * more by hand, and the view says that only the loaded entries are sorted and filtered.
   */
  private async _loadLevel(): Promise<void> {
    const generation = this._generation;
    while (
      this._cursor &&
      this._entries.length < this._levelLimit &&
      generation === this._generation &&
      !this._disposed
    ) {
      if (!(await this.loadMore())) {
        return;
      }
    }
  }

  private _setLoading(loading: boolean): void {
    this._loading = loading;
    if (loading) {
      this._error = null;
    }
    this._changed();
  }

  private _failed(error: unknown, during: 'list' | 'more'): void {
    this._error =
      error instanceof DataLakeAPIError
        ? error
        : new DataLakeAPIError(String(error), 0);
    this._retryMore = during === 'more';
    this._loading = false;
    this._changed();
  }

  private _api: FolderListing.IOptions['api'];
  private _pageSize: number | undefined;
  private _levelLimit: number;
  private _canRead: () => boolean;
  private _changed: () => void;
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
  private _disposed = false;
}

export namespace FolderListing {
  export interface IOptions {
    api: Pick<DataLakeAPI, 'listObjects'>;
    /** Rows a page; the server's default when not given. */
    pageSize: number | undefined;
    /** Entries of a level loaded without asking. */
    levelLimit: number;
    /** The area to list first. */
    area: Area;
    /** Whether the area may be listed: one the user may not read is not asked for at all. */
    canRead: () => boolean;
    /** Called whenever the rows or the state of the loading changed. */
    changed: () => void;
  }
}
