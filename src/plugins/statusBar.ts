/**
 * Home usage in the status bar ("Home 303 MiB / 5.0 GiB", as the panel says it), coloured by level; a click opens the
 * Storage panel at its Home section, however far down it was scrolled before, since home is
 * what the item is about. The "showStatusBar" setting hides it, and a hidden item does not
 * keep the usage poll running.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { UsageStatus } from '../components/usage/UsageStatus';
import { IDataLake, IStoragePanel, PLUGIN_ID } from '../tokens';

export const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-datalake:status-bar',
  description: 'Home usage against the quota, in the status bar.',
  autoStart: true,
  requires: [IDataLake, IStatusBar],
  optional: [IStoragePanel, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    dataLake: IDataLake,
    statusBar: IStatusBar,
    panel: IStoragePanel | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_datalake');
    const { usage } = dataLake;
    const item = new UsageStatus(usage, trans, () => panel?.show('home'));
    const activeChanged = new Signal<unknown, void>(item);
    // The item's id is the one it had when a single plugin made everything.
    statusBar.registerStatusItem(`${PLUGIN_ID}:usage`, {
      item,
      align: 'left',
      rank: 4,
      isActive: () => dataLake.settings.showStatusBar,
      activeStateChanged: activeChanged
    });
    const syncItem = () =>
      usage.setVisible(item, dataLake.settings.showStatusBar);
    dataLake.settingsChanged.connect(() => {
      activeChanged.emit();
      syncItem();
    });
    syncItem();
  }
};
