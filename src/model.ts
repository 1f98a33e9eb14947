import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI, DataLakeAPIError } from './api';
import { IStatus } from './tokens';

/**
 * The data lake connection as the frontend knows it, kept fresh by a poll.
 *
 * The poll backs off while the lake is not usable (a down S3 service should not be asked every
 * few seconds by every user's browser) and stands by while nobody looks at the panel or the
 * browser tab is hidden; showing the panel again refreshes at once.
 */
export class StatusModel implements IDisposable {
  constructor(options: StatusModel.IOptions) {
    this._api = options.api;
    const interval = (options.interval ?? 30) * 1000;
    this._poll = new Poll({
      auto: false,
      factory: () => this._fetch(),
      frequency: {
        interval,
        backoff: true,
        max: Math.max(interval, (options.maxInterval ?? 300) * 1000)
      },
      name: 'jupyterlab-datalake:status',
      standby: () => !this._visible || 'when-hidden'
    });
  }

  /** The last status the server sent, or null before the first answer. */
  get status(): IStatus | null {
    return this._status;
  }

  /** Set when the Jupyter server itself (not S3) could not be asked. */
  get serverError(): DataLakeAPIError | null {
    return this._serverError;
  }

  get isConnected(): boolean {
    return this._status?.connection.state === 'ok' && !this._serverError;
  }

  /** True while a request is in flight, so the UI can show that it is checking. */
  get isChecking(): boolean {
    return this._checking;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The poll itself, for callers that want to observe its ticks. */
  get poll(): Poll {
    return this._poll;
  }

  get visible(): boolean {
    return this._visible;
  }

  /** Whether someone is looking: polls stand by while false; becoming true refreshes now. */
  set visible(value: boolean) {
    if (this._visible === value) {
      return;
    }
    this._visible = value;
    if (value) {
      void this.refresh();
    }
  }

  /** Start polling; the first answer arrives as soon as the panel is visible. */
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

  private async _fetch(): Promise<void> {
    this._checking = true;
    this._changed.emit();
    try {
      this._status = await this._api.getStatus();
      this._serverError = null;
    } catch (error) {
      this._serverError =
        error instanceof DataLakeAPIError
          ? error
          : new DataLakeAPIError(String(error), 0);
    } finally {
      this._checking = false;
      this._changed.emit();
    }
    if (!this.isConnected) {
      // Rejecting is how a Poll learns to back off.
      throw new Error(
        this._serverError?.message ?? this._status?.connection.message
      );
    }
  }

  private _api: DataLakeAPI;
  private _poll: Poll;
  private _status: IStatus | null = null;
  private _serverError: DataLakeAPIError | null = null;
  private _checking = false;
  private _visible = false;
  private _changed = new Signal<this, void>(this);
}

export namespace StatusModel {
  export interface IOptions {
    api: DataLakeAPI;
    /** Seconds between checks while connected. */
    interval?: number;
    /** Upper bound, in seconds, of the back-off while not connected. */
    maxInterval?: number;
  }
}
