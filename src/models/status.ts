import { IStatus } from '../api/types';
import { DataLakeAPI } from '../api/client';
import { PolledModel } from './polled';

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
