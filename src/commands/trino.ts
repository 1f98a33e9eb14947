/**
 * "Copy Trino table": the CREATE TABLE statement that reads a folder of CSV or Parquet files
 * with Trino's Hive connector, made by the server from the files' headers or footers, shown,
 * then copied. The lake browser's folder menu and a finished folder upload's row run it.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Clipboard,
  Dialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { TrinoDialog } from '../dialogs/TrinoDialog';
import { IDataLake, LakeOpIDs } from '../tokens';
import { areaOf } from './areaOf';
import { folderOf } from './lakeOps';

export function registerTrinoTable(options: {
  app: JupyterFrontEnd;
  dataLake: IDataLake;
  trans: TranslationBundle;
}): void {
  const { app, dataLake, trans } = options;
  app.commands.addCommand(LakeOpIDs.trinoTable, {
    label: trans.__('Copy Trino Table…'),
    execute: async args => {
      const area = await areaOf(dataLake, args['area'], trans);
      const prefix = typeof args['prefix'] === 'string' ? args['prefix'] : '';
      if (!area) {
        return null;
      }
      const folder = folderOf(area, prefix);
      let table;
      try {
        table = await dataLake.api.trinoTable(area.id, folder);
      } catch (error) {
        // A dialog, not a notification: the reason names files and headers, and is long.
        await showDialog({
          title: trans.__('No Trino table for %1', folder || area.title),
          body: (error as Error).message ?? String(error),
          buttons: [Dialog.okButton({ label: trans.__('OK') })]
        });
        return null;
      }
      const answer = await showDialog({
        title: trans.__('Trino table %1', table.table),
        body: new TrinoDialog({ table, trans }),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Close') }),
          Dialog.okButton({ label: trans.__('Copy statement') })
        ]
      });
      if (!answer.button.accept) {
        return null;
      }
      Clipboard.copyToSystem(table.statement);
      Notification.success(
        trans.__(
          'Copied CREATE TABLE %1.%2.%3; run it in Trino.',
          table.catalog,
          table.schema,
          table.table
        ),
        { autoClose: 4000 }
      );
      return table;
    },
    describedBy: {
      args: {
        type: 'object',
        properties: {
          area: { type: 'string', description: trans.__('The area id') },
          prefix: {
            type: 'string',
            description: trans.__(
              'The folder, inside the area or as its full key prefix'
            )
          }
        },
        required: ['area', 'prefix']
      }
    }
  });
}
