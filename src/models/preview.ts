import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import { DataLakeAPIError } from '../api/request';
import { Area, IPreview } from '../api/types';
import { ILakeEntry } from '../logic/entries';
import { LakeBrowserModel } from './lake';

/** The part of the typed client that previews use. */
export type PreviewClient = Pick<DataLakeAPI, 'previewObject' | 'downloadUrl'>;

/** The object a preview is of: one selected row of the lake browser. */
export interface IPreviewTarget {
  area: Area;
  key: string;
  /** The listing's ETag: a new version of the object is previewed again. */
  etag: string | null;
}

/**
 * The preview of the object selected in the lake browser: when exactly one object (not a
 * folder) is selected, the server is asked for its metadata and a bounded look inside it, a
 * moment after the selection settles, so that moving through rows with the arrow keys asks
 * only for the row the user stops at. A reply for a row that is no longer selected is dropped.
 */
export class PreviewModel implements IDisposable {
  constructor(options: PreviewModel.IOptions) {
    this._api = options.api;
    this._lake = options.lake;
    this._delay = options.delay ?? 150;
    this._lake.changed.connect(this._onLakeChanged, this);
  }

  /** The object previewed, or null when the selection is not one object. */
  get target(): IPreviewTarget | null {
    return this._target;
  }

  /** The last preview of the target, once it arrived. */
  get preview(): IPreview | null {
    return this._preview;
  }

  /** Why the target could not be previewed (gone, refused, the lake down). */
  get error(): DataLakeAPIError | null {
    return this._error;
  }

  get isLoading(): boolean {
    return this._loading;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Where the web browser fetches an image previewed (with the login cookie, no token). */
  imageUrl(): string | null {
    const preview = this._preview;
    if (!preview || preview.format !== 'image' || preview.message) {
      return null;
    }
    return this._api.downloadUrl(preview.area, preview.key);
  }

  /** Ask again for the target's preview. */
  async refresh(): Promise<void> {
    const target = this._target;
    if (!target) {
      return;
    }
    const generation = ++this._generation;
    this._loading = true;
    this._changed.emit();
    try {
      const preview = await this._api.previewObject(target.area, target.key);
      if (generation === this._generation) {
        this._preview = preview;
        this._error = null;
      }
    } catch (error) {
      if (generation === this._generation) {
        this._preview = null;
        this._error =
          error instanceof DataLakeAPIError
            ? error
            : new DataLakeAPIError(String(error), 0);
      }
    } finally {
      if (generation === this._generation && !this._disposed) {
        this._loading = false;
        this._changed.emit();
      }
    }
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.clearTimeout(this._timer);
    Signal.clearData(this);
  }

  private _onLakeChanged(): void {
    const entry = selectedObject(this._lake);
    const next: IPreviewTarget | null = entry
      ? { area: this._lake.area, key: entry.key, etag: entry.etag }
      : null;
    const current = this._target;
    if (
      current?.area === next?.area &&
      current?.key === next?.key &&
      current?.etag === next?.etag
    ) {
      return;
    }
    this._target = next;
    this._generation++;
    this._preview = null;
    this._error = null;
    this._loading = next !== null;
    window.clearTimeout(this._timer);
    if (next) {
      this._timer = window.setTimeout(() => void this.refresh(), this._delay);
    }
    this._changed.emit();
  }

  private _api: PreviewClient;
  private _lake: LakeBrowserModel;
  private _delay: number;
  private _target: IPreviewTarget | null = null;
  private _preview: IPreview | null = null;
  private _error: DataLakeAPIError | null = null;
  private _loading = false;
  private _generation = 0;
  private _timer = 0;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

/** The one object selected in the browser, if one object (and nothing else) is. */
export function selectedObject(lake: LakeBrowserModel): ILakeEntry | null {
  if (lake.selection.size !== 1) {
    return null;
  }
  const [entry] = lake.entriesOf(lake.selection);
  return entry?.kind === 'object' ? entry : null;
}

export namespace PreviewModel {
  export interface IOptions {
    api: PreviewClient;
    lake: LakeBrowserModel;
    /** Milliseconds the selection must stay before the preview is asked for. */
    delay?: number;
  }
}
