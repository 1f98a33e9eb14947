/**
 * Every command of the extension, registered in one place: the palette, the menus and context
 * menus of schema/plugin.json, and the UI tests refer to them by the ids in tokens.ts.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { sendToLakeIcon, storageIcon } from '../components/common/icons';
import { connectionTitle } from '../components/lake/ConnectionSection';
import { CommandIDs, IDataLake, IStoragePanel } from '../tokens';
import { sender } from './send';

export interface ICommandsOptions {
  app: JupyterFrontEnd;
  dataLake: IDataLake;
  panel: IStoragePanel;
  trans: TranslationBundle;
  browsers: IFileBrowserFactory | null;
  palette: ICommandPalette | null;
}

/** Add the four commands, and those of them that make sense there to the palette. */
export function registerCommands(options: ICommandsOptions): void {
  const { app, dataLake, panel, trans, palette } = options;
  const { status, usage } = dataLake;
  const { send, problem, pathsOf } = sender({
    app,
    status,
    transfers: dataLake.transfers,
    trans,
    browsers: options.browsers,
    openPanel: () => panel.open()
  });

  app.commands.addCommand(CommandIDs.sendToLake, {
    // Menus show no caption: a disabled item says why in its label.
    label: () => {
      const state = problem();
      return state
        ? trans.__('Send to data lake (%1)', connectionTitle(state, trans))
        : trans.__('Send to data lake');
    },
    caption: args => {
      if (problem()) {
        return trans.__(
          'The data lake cannot be used: %1',
          status.error?.message ?? status.status?.connection.message ?? ''
        );
      }
      return pathsOf(args).length > 0
        ? trans.__('Copy the selected files and folders to the S3 data lake')
        : trans.__('Select files or folders in the file browser first');
    },
    icon: args => (args['isPalette'] ? undefined : sendToLakeIcon),
    isEnabled: args => problem() === null && pathsOf(args).length > 0,
    execute: args =>
      send(pathsOf(args), {
        area: typeof args['area'] === 'string' ? args['area'] : undefined,
        prefix: typeof args['prefix'] === 'string' ? args['prefix'] : undefined
      }),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          paths: {
            type: 'array',
            items: { type: 'string' },
            description: trans.__(
              'File browser paths, or absolute paths outside it; the file browser selection when omitted'
            )
          },
          area: {
            type: 'string',
            description: trans.__('The area the dialog proposes')
          },
          prefix: {
            type: 'string',
            description: trans.__('The folder inside the area it proposes')
          }
        }
      }
    }
  });
  status.changed.connect(() =>
    app.commands.notifyCommandChanged(CommandIDs.sendToLake)
  );
  options.palette?.addItem({
    command: CommandIDs.sendToLake,
    category: trans.__('Data lake')
  });
  status.changed.connect(() =>
    app.commands.notifyCommandChanged(CommandIDs.sendToLake)
  );
  palette?.addItem({
    command: CommandIDs.sendToLake,
    category: trans.__('Data lake')
  });

  app.commands.addCommand(CommandIDs.openPanel, {
    label: trans.__('Open Storage Panel'),
    icon: args => (args['isPalette'] ? undefined : storageIcon),
    execute: () => panel.open()
  });
  app.commands.addCommand(CommandIDs.refreshStatus, {
    label: trans.__('Check Data Lake Connection'),
    execute: () => status.refresh()
  });
  app.commands.addCommand(CommandIDs.refreshUsage, {
    label: trans.__('Rescan Home Usage'),
    execute: () => usage.rescan()
  });
  const category = trans.__('Storage');
  for (const command of [
    CommandIDs.openPanel,
    CommandIDs.refreshStatus,
    CommandIDs.refreshUsage
  ]) {
    palette?.addItem({ command, category });
  }
}
