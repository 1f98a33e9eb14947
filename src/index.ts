import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { DataLakeAPI } from './api';
import { StoragePanel } from './components/StoragePanel';
import { storageIcon } from './icons';
import { StatusModel } from './model';
import { CommandIDs, PANEL_ID, PLUGIN_ID } from './tokens';

/** Core sidebar panels use ranks below 1000; extensions go after them. */
const PANEL_RANK = 1000;

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'A Storage panel: home usage, what vanishes at restart, and the S3 data lake.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ISettingRegistry, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_datalake');

    let settings: ISettingRegistry.ISettings | null = null;
    if (settingRegistry) {
      try {
        settings = await settingRegistry.load(PLUGIN_ID);
      } catch (reason) {
        console.error('jupyterlab-datalake: settings failed to load', reason);
      }
    }
    const interval =
      (settings?.get('statusInterval').composite as number | undefined) ?? 30;

    const api = new DataLakeAPI(app.serviceManager.serverSettings);
    const status = new StatusModel({ api, interval });
    const panel = new StoragePanel({ status, translator });
    app.shell.add(panel, 'left', { rank: PANEL_RANK });
    restorer?.add(panel, PANEL_ID);
    void status.start();

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Open Storage Panel'),
      icon: args => (args['isPalette'] ? undefined : storageIcon),
      execute: () => app.shell.activateById(PANEL_ID)
    });
    app.commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Check Data Lake Connection'),
      execute: () => status.refresh()
    });
    const category = trans.__('Storage');
    palette?.addItem({ command: CommandIDs.openPanel, category });
    palette?.addItem({ command: CommandIDs.refreshStatus, category });
  }
};

export default plugin;
