/**
 * The commands, among them "Send to data lake" in the file browser's context menu, and the
 * refresh of the file browser when a download into home ends.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { registerLakeOps } from '../commands/lakeOps';
import { registerCommands } from '../commands/register';
import { registerTrinoTable } from '../commands/trino';
import { IDataLake, IStoragePanel } from '../tokens';

export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-datalake:commands',
  description:
    'Commands: send files to the data lake; rename, copy, move and share inside it; open the Storage panel, check the connection, rescan home.',
  autoStart: true,
  requires: [IDataLake, IStoragePanel],
  optional: [ICommandPalette, ITranslator, IFileBrowserFactory],
  activate: (
    app: JupyterFrontEnd,
    dataLake: IDataLake,
    panel: IStoragePanel,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    browsers: IFileBrowserFactory | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_datalake');
    registerCommands({ app, dataLake, panel, trans, browsers, palette });
    registerLakeOps({ app, dataLake, trans });
    registerTrinoTable({ app, dataLake, trans });
    // A finished download shows in the file browser at once, not at its next poll.
    dataLake.transfers.finished.connect((_, transfer) => {
      if (transfer.direction === 'download' && transfer.state === 'done') {
        browsers?.tracker.forEach(browser => void browser.model.refresh());
      }
    });
  }
};
