/**
 * The Storage panel in the left sidebar, with what its buttons run. It provides
 * `IStoragePanel`, so that the commands, the status bar item and the notifications can open it
 * at a section without knowing its DOM.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { transferActions } from '../commands/actions';
import { homeActions } from '../commands/home';
import { StoragePanel } from '../components/StoragePanel';
import { CommandIDs, IDataLake, IStoragePanel, PANEL_ID } from '../tokens';

/** Core sidebar panels use ranks below 1000; extensions go after them. */
const PANEL_RANK = 1000;

/** The element each section of the panel starts with. */
const SECTIONS: Record<IStoragePanel.Section, string> = {
  home: '.jp-DataLake-usage',
  transfers: '.jp-DataLake-transfers',
  largestFiles: '.jp-DataLake-largestFiles'
};

export const panelPlugin: JupyterFrontEndPlugin<IStoragePanel> = {
  id: 'jupyterlab-datalake:panel',
  description:
    'A Storage panel: home usage, what vanishes at restart, and transfers (the data lake has its own panel).',
  autoStart: true,
  requires: [IDataLake],
  provides: IStoragePanel,
  optional: [ILayoutRestorer, ITranslator, IFileBrowserFactory],
  activate: (
    app: JupyterFrontEnd,
    dataLake: IDataLake,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    browsers: IFileBrowserFactory | null
  ): IStoragePanel => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_datalake');
    const storage: IStoragePanel = {
      open: () => app.shell.activateById(PANEL_ID),
      show: section => {
        storage.open();
        panel.node
          .querySelector(SECTIONS[section])
          ?.scrollIntoView({ block: 'start' });
      }
    };
    const showTransfers = () => storage.show('transfers');

    const panel = new StoragePanel({
      dataLake,
      translator,
      actions: {
        home: homeActions({
          app,
          usage: dataLake.usage,
          atRisk: dataLake.atRisk,
          trans,
          browsers,
          // The command asks where the files go, after checking the lake can take them.
          send: paths =>
            void app.commands.execute(CommandIDs.sendToLake, { paths })
        }),
        transfers: transferActions(
          app,
          dataLake.transfers,
          trans,
          showTransfers
        )
      }
    });
    app.shell.add(panel, 'left', { rank: PANEL_RANK });
    restorer?.add(panel, PANEL_ID);
    return storage;
  }
};
