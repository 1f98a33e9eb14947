/**
 * The plugin every other one builds on: it reads the user's settings and makes the one typed
 * client and the models of the server's facts, and provides them as `IDataLake`. It keeps the
 * id `jupyterlab-datalake:plugin`, because schema/plugin.json (the settings, and the menus and
 * context menus it adds) is keyed by that id, and so are the users' saved settings.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import { DEFAULT_THRESHOLDS } from '../logic/format';
import { AtRiskModel } from '../models/atrisk';
import { LakeBrowserModel } from '../models/lake';
import { StatusModel } from '../models/status';
import { TransfersModel } from '../models/transfers';
import { UsageModel } from '../models/usage';
import { IDataLake, PLUGIN_ID } from '../tokens';

/** The settings as the user set them, with the schema's defaults for the rest. */
export function readSettings(
  settings: ISettingRegistry.ISettings | null
): IDataLake.ISettings {
  const get = <T>(key: string, fallback: T): T =>
    (settings?.get(key).composite as T | undefined) ?? fallback;
  const warning = get('warningThreshold', DEFAULT_THRESHOLDS.warning);
  const critical = get('criticalThreshold', DEFAULT_THRESHOLDS.critical);
  return {
    statusInterval: get('statusInterval', 30),
    usageInterval: get('usageInterval', 60),
    // A critical threshold below the warning one would make "warning" unreachable.
    thresholds: { warning: Math.min(warning, critical), critical },
    showStatusBar: get('showStatusBar', true),
    checkPaths: get('checkPathsOnSave', true)
  };
}

/** The client and the models, made once, with the settings kept up to date. */
class DataLake implements IDataLake {
  constructor(
    app: JupyterFrontEnd,
    private readonly _registry: ISettingRegistry.ISettings | null
  ) {
    this._settings = readSettings(_registry);
    const api = new DataLakeAPI(app.serviceManager.serverSettings);
    this.api = api;
    this.status = new StatusModel({
      api,
      interval: this._settings.statusInterval
    });
    this.atRisk = new AtRiskModel({ api });
    this.usage = new UsageModel({
      api,
      contents: app.serviceManager.contents,
      thresholds: this._settings.thresholds,
      interval: this._settings.usageInterval
    });
    this.transfers = new TransfersModel({ api });
    this.lake = new LakeBrowserModel({ api, transfers: this.transfers });
    // The browser's tabs and rights follow the configured areas, as each status tells them.
    this.status.changed.connect(() => {
      const areas = this.status.status?.areas;
      if (areas) {
        this.lake.setAreas(areas);
      }
    });
    _registry?.changed.connect(this._onSettingsChanged, this);
  }

  readonly api: DataLakeAPI;
  readonly status: StatusModel;
  readonly usage: UsageModel;
  readonly atRisk: AtRiskModel;
  readonly transfers: TransfersModel;
  readonly lake: LakeBrowserModel;

  get settings(): IDataLake.ISettings {
    return this._settings;
  }

  get settingsChanged(): ISignal<IDataLake, IDataLake.ISettings> {
    return this._settingsChanged;
  }

  /** Start the polls; each stands by until a view shows its model. */
  start(): void {
    void this.status.start();
    void this.usage.start();
    void this.atRisk.start();
    void this.transfers.start();
  }

  private _onSettingsChanged(): void {
    this._settings = readSettings(this._registry);
    this.usage.thresholds = this._settings.thresholds;
    this._settingsChanged.emit(this._settings);
  }

  private _settings: IDataLake.ISettings;
  private _settingsChanged = new Signal<IDataLake, IDataLake.ISettings>(this);
}

export const corePlugin: JupyterFrontEndPlugin<IDataLake> = {
  id: PLUGIN_ID,
  description:
    'The data lake client and models: home usage, what vanishes at restart, transfers and the S3 data lake.',
  autoStart: true,
  provides: IDataLake,
  optional: [ISettingRegistry],
  activate: async (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null
  ): Promise<IDataLake> => {
    let settings: ISettingRegistry.ISettings | null = null;
    if (settingRegistry) {
      try {
        settings = await settingRegistry.load(PLUGIN_ID);
      } catch (reason) {
        console.error('jupyterlab-datalake: settings failed to load', reason);
      }
    }
    const dataLake = new DataLake(app, settings);
    dataLake.start();
    return dataLake;
  }
};
