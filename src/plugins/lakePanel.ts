/**
 * The data lake panel: the connection and the lake browser, in the left sidebar with its own
 * icon, and the same browser as a main-area tab for a wide view ("Open Data Lake in a Tab").
 * It provides `ILakePanel`, registers the browser's context-menu commands (commands/lake.ts),
 * and lets lake rows be dropped on the file browser (commands/lakeDrop.ts).
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { lakeActions } from '../commands/actions';
import { LakeTargets, registerLakeCommands } from '../commands/lake';
import { acceptLakeDrops } from '../commands/lakeDrop';
import { LakePanel } from '../components/lake/LakePanel';
import { PreviewModel } from '../models/preview';
import {
  CommandIDs,
  IDataLake,
  ILakePanel,
  IStoragePanel,
  LAKE_PANEL_ID,
  LAKE_TAB_ID
} from '../tokens';

/** After the Storage panel (rank 1000) in the left sidebar. */
const PANEL_RANK = 1010;

export const lakePanelPlugin: JupyterFrontEndPlugin<ILakePanel> = {
  id: 'jupyterlab-datalake:lake-panel',
  description:
    'The data lake panel: the connection and a browser of the S3 data lake, in the sidebar or as a tab.',
  autoStart: true,
  requires: [IDataLake],
  provides: ILakePanel,
  optional: [
    IStoragePanel,
    ILayoutRestorer,
    ITranslator,
    IFileBrowserFactory,
    ICommandPalette
  ],
  activate: (
    app: JupyterFrontEnd,
    dataLake: IDataLake,
    storage: IStoragePanel | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    browsers: IFileBrowserFactory | null,
    palette: ICommandPalette | null
  ): ILakePanel => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_datalake');
    const actions = lakeActions({
      app,
      model: dataLake.lake,
      status: dataLake.status,
      trans,
      browsers,
      showTransfers: () => storage?.show('transfers')
    });
    const targets = new LakeTargets(app, dataLake.lake);
    const preview = new PreviewModel({
      api: dataLake.api,
      lake: dataLake.lake
    });

    const panel = new LakePanel({
      id: LAKE_PANEL_ID,
      dataLake,
      translator,
      actions,
      preview
    });
    app.shell.add(panel, 'left', { rank: PANEL_RANK });
    restorer?.add(panel, LAKE_PANEL_ID);

    // The wide view: one tab at most, restored with the layout.
    let tab: LakePanel | null = null;
    const tabs = new WidgetTracker<LakePanel>({ namespace: 'datalake-lake' });
    const openInTab = () => {
      if (!tab || tab.isDisposed) {
        tab = new LakePanel({
          id: LAKE_TAB_ID,
          dataLake,
          translator: translator ?? nullTranslator,
          actions,
          preview,
          wide: true
        });
        app.shell.add(tab, 'main');
        void tabs.add(tab);
      }
      app.shell.activateById(tab.id);
    };
    void restorer?.restore(tabs, {
      command: CommandIDs.openLakeTab,
      name: () => 'lake'
    });

    const lakePanel: ILakePanel = {
      open: () => app.shell.activateById(LAKE_PANEL_ID),
      openInTab,
      target: () => targets.target()
    };
    registerLakeCommands({
      app,
      targets,
      actions,
      panel: lakePanel,
      trans,
      palette
    });
    if (browsers) {
      acceptLakeDrops(browsers, dataLake.lake, actions);
    }
    return lakePanel;
  }
};
