import { Contents } from '@jupyterlab/services';
import { Debouncer } from '@lumino/polling';

import { DataLakeAPI } from '../api/client';
import { ITrashEmptied, IUsage } from '../api/types';
import {
  DEFAULT_THRESHOLDS,
  IThresholds,
  UsageLevel,
  usageLevel
} from '../logic/format';
import { PolledModel } from './polled';

/**
 * Home usage against the quota. Besides polling, it refreshes shortly after any save, upload,
 * delete or rename through the Contents API, since the server updates its figure on those.
 *
 * Writes from outside JupyterLab (a terminal, a kernel) have no such event: while a view is
 * visible the poll asks the server whether the figure changed since the version it has, as
 * often as the server says (`poll_seconds`: every 2 s when home is its own volume, whose used
 * bytes it watches). The server answers "unchanged" in a few bytes, or rescans and sends the
 * new figure.
 */
export class UsageModel extends PolledModel<IUsage> {
  constructor(options: UsageModel.IOptions) {
    super({
      name: 'jupyterlab-datalake:usage',
      interval: options.interval ?? 60,
      maxInterval: options.maxInterval
    });
    this._api = options.api;
    this._interval = options.interval ?? 60;
    this._thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    this._afterSave = new Debouncer(() => this.refresh(), 300);
    this._afterChange = new Debouncer(() => this.rescan(), 300);
    options.contents?.fileChanged.connect(this._onFileChanged, this);
  }

  get usage(): IUsage | null {
    return this.value;
  }

  get thresholds(): IThresholds {
    return this._thresholds;
  }

  set thresholds(value: IThresholds) {
    this._thresholds = value;
    this.emitChanged();
  }

  /** normal, warning or critical, or null before the first answer. */
  get level(): UsageLevel | null {
    const percent = this.value?.percent;
    return percent === null || percent === undefined
      ? null
      : usageLevel(percent, this._thresholds);
  }

  /** Force a full rescan on the server, instead of the cached figure. */
  async rescan(): Promise<void> {
    this._rescanning = true;
    this.emitChanged();
    try {
      await this.request(() => this._api.getUsage(true));
    } finally {
      this._rescanning = false;
      this.emitChanged();
    }
  }

  /** True while a rescan asked for by the user runs. */
  get isRescanning(): boolean {
    return this._rescanning;
  }

  /** Empty home's trash; resolves with the bytes it freed. */
  async emptyTrash(): Promise<{ freed: number; failed: string[] }> {
    const result = (await this.request(() =>
      this._api.emptyTrash()
    )) as ITrashEmptied;
    this.emitChanged();
    return { freed: result.freed, failed: result.failed };
  }

  dispose(): void {
    this._afterSave.dispose();
    this._afterChange.dispose();
    super.dispose();
  }

  protected async fetch(): Promise<IUsage> {
    const current = this.value;
    if (current?.version === undefined) {
      return this._api.getUsage();
    }
    const reply = await this._api.pollUsage(current.version);
    if (!('unchanged' in reply)) {
      return reply;
    }
    // The same object while nothing changed, so that views have nothing to redo.
    return reply.refreshing === current.refreshing
      ? current
      : { ...current, refreshing: reply.refreshing };
  }

  protected applied(value: IUsage): void {
    // The server knows what a poll costs it; the setting is the slowest the poll may be.
    const seconds = Math.min(this._interval, value.poll_seconds ?? Infinity);
    if (seconds !== this._pollSeconds) {
      this._pollSeconds = seconds;
      this.setInterval(seconds);
    }
  }

  private _onFileChanged(_: unknown, change: Contents.IChangedArgs): void {
    // The server follows saves itself; a delete (into the trash), a rename or a new folder
    // changes what it cannot see from a save, so those ask for a rescan.
    if (change.type === 'save') {
      void this._afterSave.invoke();
    } else if (['new', 'delete', 'rename'].includes(change.type)) {
      void this._afterChange.invoke();
    }
  }

  private _api: DataLakeAPI;
  private _interval: number;
  private _pollSeconds: number | null = null;
  private _thresholds: IThresholds;
  private _afterSave: Debouncer;
  private _afterChange: Debouncer;
  private _rescanning = false;
}

export namespace UsageModel {
  export interface IOptions extends PolledModel.IClientOptions {
    contents?: Contents.IManager;
    thresholds?: IThresholds;
  }
}
