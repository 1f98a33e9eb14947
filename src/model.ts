import { Contents } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Debouncer, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI, DataLakeAPIError } from './api';
import {
  DEFAULT_THRESHOLDS,
  IThresholds,
  UsageLevel,
  usageLevel
} from './format';
import { IAtRisk, IStatus, ITrashEmptied, IUsage } from './tokens';

/**
 * A value fetched from the server and kept fresh by a poll, in the manner of
 * jupyter-resource-usage: the poll stands by while nobody looks (no view is visible, or the
 * browser tab is hidden), backs off while fetching fails, and refreshes at once when a view
 * becomes visible again.
 */
export abstract class PolledModel<T> implements IDisposable {
  constructor(options: PolledModel.IOptions) {
    const interval = options.interval * 1000;
    this._poll = new Poll({
      auto: false,
      factory: () => this._tick(),
      frequency: {
        interval,
        backoff: true,
        max: Math.max(interval, (options.maxInterval ?? 300) * 1000)
      },
      name: options.name,
      standby: () =>
        (this._viewers === 0 && !this.pollsUnseen()) || 'when-hidden'
    });
  }

  /** The last value the server sent, or null before the first answer. */
  get value(): T | null {
    return this._value;
  }

  /** Set when the last request failed; the last good value is kept. */
  get error(): DataLakeAPIError | null {
    return this._error;
  }

  /** True while a request is in flight. */
  get isFetching(): boolean {
    return this._fetching;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get poll(): Poll {
    return this._poll;
  }

  /**
   * Whether a view shows this model. Views (a panel, a status bar item) set it; the poll runs
   * while at least one does, and showing one refreshes at once.
   */
  setVisible(viewer: unknown, visible: boolean): void {
    const before = this._viewers;
    if (visible) {
      this._visibleViewers.add(viewer);
    } else {
      this._visibleViewers.delete(viewer);
    }
    if (this._viewers > before) {
      void this.refresh();
    }
  }

  start(): Promise<void> {
    return this._poll.start();
  }

  /** Ask the server now, resetting any back-off. */
  async refresh(): Promise<void> {
    await this._poll.refresh();
    await this._poll.tick;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /** Fetch the value; an exception marks the tick as failed. */
  protected abstract fetch(): Promise<T>;

  /** Whether the poll should back off even though the request succeeded. */
  protected isFailure(value: T): boolean {
    return false;
  }

  /**
   * Whether to go on polling while no view is visible: for work that runs on the server and
   * whose end the user should hear about wherever they are in JupyterLab.
   */
  protected pollsUnseen(): boolean {
    return false;
  }

  /** Called with each value as it becomes the current one, from the poll or a request. */
  protected applied(value: T): void {
    // Nothing by default.
  }

  /** Change the seconds between requests while all is well; the next wait uses it. */
  protected setInterval(seconds: number): void {
    const frequency = this._poll.frequency;
    const interval = seconds * 1000;
    this._poll.frequency = {
      ...frequency,
      interval,
      max: Math.max(interval, frequency.max)
    };
  }

  /**
   * Fetch outside the poll, e.g. a rescan or a POST that returns the new value. Answers are
   * applied in the order the requests were made, so a slow older answer (a poll tick that
   * started before a rescan) never overwrites a newer one.
   */
  protected async request(fetcher: () => Promise<T>): Promise<T> {
    const generation = ++this._requested;
    const value = await fetcher();
    this._apply(generation, value);
    return value;
  }

  /** Re-render views from the current value, e.g. after a setting changed. */
  protected emitChanged(): void {
    this._changed.emit();
  }

  private _apply(generation: number, value: T): void {
    if (generation < this._applied) {
      return;
    }
    this._applied = generation;
    this._value = value;
    this._error = null;
    this.applied(value);
  }

  private get _viewers(): number {
    return this._visibleViewers.size;
  }

  private async _tick(): Promise<void> {
    this._fetching = true;
    this._changed.emit();
    let failed = false;
    const generation = ++this._requested;
    try {
      const value = await this.fetch();
      this._apply(generation, value);
      failed = this.isFailure(value);
    } catch (error) {
      this._error =
        error instanceof DataLakeAPIError
          ? error
          : new DataLakeAPIError(String(error), 0);
      failed = true;
    } finally {
      this._fetching = false;
      this._changed.emit();
    }
    if (failed) {
      // Rejecting is how a Poll learns to back off.
      throw this._error ?? new Error('not usable');
    }
  }

  private _poll: Poll;
  private _value: T | null = null;
  private _error: DataLakeAPIError | null = null;
  private _fetching = false;
  private _requested = 0;
  private _applied = 0;
  private _visibleViewers = new Set<unknown>();
  private _changed = new Signal<this, void>(this);
}

export namespace PolledModel {
  export interface IOptions {
    name: string;
    /** Seconds between requests while all is well. */
    interval: number;
    /** Upper bound, in seconds, of the back-off while failing. */
    maxInterval?: number;
  }

  /** What every model of the server's facts is made with. */
  export interface IClientOptions {
    api: DataLakeAPI;
    /** Seconds between requests while all is well; each model has its own default. */
    interval?: number;
    maxInterval?: number;
  }
}

/**
 * The data lake connection. The poll also backs off while the lake is not usable: a down S3
 * service should not be asked every few seconds by every user's browser.
 */
export class StatusModel extends PolledModel<IStatus> {
  constructor(options: StatusModel.IOptions) {
    super({
      name: 'jupyterlab-datalake:status',
      interval: options.interval ?? 30,
      maxInterval: options.maxInterval
    });
    this._api = options.api;
  }

  get status(): IStatus | null {
    return this.value;
  }

  get isConnected(): boolean {
    return this.value?.connection.state === 'ok' && !this.error;
  }

  /** Ask the server now, even while no view shows the status: before using the lake, say. */
  async check(): Promise<IStatus> {
    const value = await this.request(() => this._api.getStatus());
    this.emitChanged();
    return value;
  }

  protected fetch(): Promise<IStatus> {
    return this._api.getStatus();
  }

  protected isFailure(value: IStatus): boolean {
    return value.connection.state !== 'ok';
  }

  private _api: DataLakeAPI;
}

export namespace StatusModel {
  export type IOptions = PolledModel.IClientOptions;
}

/**
 * Home usage against the quota. Besides polling, it refreshes shortly after any save, upload,
 * delete or rename through the Contents API, since the server updates its figure on those.
 */
export class UsageModel extends PolledModel<IUsage> {
  constructor(options: UsageModel.IOptions) {
    super({
      name: 'jupyterlab-datalake:usage',
      interval: options.interval ?? 60,
      maxInterval: options.maxInterval
    });
    this._api = options.api;
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

  protected fetch(): Promise<IUsage> {
    return this._api.getUsage();
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

/** What sits in non-persistent places, refreshed while the panel is visible. */
export class AtRiskModel extends PolledModel<IAtRisk> {
  constructor(options: AtRiskModel.IOptions) {
    super({
      name: 'jupyterlab-datalake:at-risk',
      interval: options.interval ?? 60,
      maxInterval: options.maxInterval
    });
    this._api = options.api;
  }

  get atRisk(): IAtRisk | null {
    return this.value;
  }

  /** Whether every entry is listed, not only the largest few of each place. */
  get showAll(): boolean {
    return this._showAll;
  }

  async setShowAll(value: boolean): Promise<void> {
    this._showAll = value;
    await this.refresh();
  }

  /** Move entries into home, then show what is left. */
  async rescue(paths: string[]) {
    const result = await this._api.rescue(paths);
    await this.refresh();
    return result;
  }

  /** Opening the panel shows what is there now, not the server's report of a minute ago. */
  setVisible(viewer: unknown, visible: boolean): void {
    if (visible) {
      this._walk = true;
    }
    super.setVisible(viewer, visible);
  }

  /** Walk the watched places again, instead of the server's recent report. */
  async lookAgain(): Promise<void> {
    this._walk = true;
    await this.refresh();
  }

  protected fetch(): Promise<IAtRisk> {
    const walk = this._walk;
    this._walk = false;
    return this._api.getAtRisk(this._showAll, walk);
  }

  private _api: DataLakeAPI;
  private _showAll = false;
  private _walk = false;
}

export namespace AtRiskModel {
  export type IOptions = PolledModel.IClientOptions;
}
