import { DataLakeAPI } from '../api/client';
import { IAtRisk } from '../api/types';
import { PolledModel } from './polled';

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
