/**
 * The extension's plugins. Each does one thing; they share the client and the models through
 * the `IDataLake` token, the Storage panel through `IStoragePanel` and the data lake panel
 * through `ILakePanel` (tokens.ts).
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { commandsPlugin } from './plugins/commands';
import { corePlugin } from './plugins/core';
import { drivePlugin } from './plugins/drive';
import { lakePanelPlugin } from './plugins/lakePanel';
import { notificationsPlugin } from './plugins/notifications';
import { panelPlugin } from './plugins/panel';
import { pathWarningsPlugin } from './plugins/pathWarnings';
import { saveGuardPlugin } from './plugins/saveGuard';
import { statusBarPlugin } from './plugins/statusBar';

export * from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [
  corePlugin,
  panelPlugin,
  lakePanelPlugin,
  commandsPlugin,
  statusBarPlugin,
  notificationsPlugin,
  saveGuardPlugin,
  pathWarningsPlugin,
  drivePlugin
];

export default plugins;
