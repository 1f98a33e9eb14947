import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import { DataLakeAPIError } from '../api/request';

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
