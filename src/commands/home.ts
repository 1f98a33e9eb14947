/**
 * What the Usage and "Lost at restart" sections' buttons run: show a file of home in the file
 * browser, empty the trash, rescue an entry into home, copy a pip command, send to the lake.
 * Paths in those sections are relative to home, the file browser's to its root; the mapping
 * between the two is here, once.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';

import { IPackage } from '../api/types';
import { IHomeActions } from '../components/actions';
import { goToPath } from './actions';
import { confirmDestructive } from '../dialogs/ask';
import { formatBytes } from '../logic/format';
import { AtRiskModel } from '../models/atrisk';
import { UsageModel } from '../models/usage';

export interface IHomeActionsOptions {
  app: JupyterFrontEnd;
  usage: UsageModel;
  atRisk: AtRiskModel;
  trans: TranslationBundle;
  /** Send file browser paths to the data lake, asking where first. */
  send: (paths: string[]) => void;
}

export function homeActions(options: IHomeActionsOptions): IHomeActions {
  const { app, usage, atRisk, trans, send } = options;

  /** Paths in the usage view are relative to home; the file browser's are to its root. */
  const contentsPath = (relative: string): string | null => {
    const home = usage.usage?.home_in_contents;
    return home === null || home === undefined
      ? null
      : PathExt.join(home, relative);
  };
  const showInFileBrowser = (relative: string) => {
    const path = contentsPath(relative);
    if (path === null) {
      Notification.warning(
        trans.__(
          'Your home is outside the folder JupyterLab shows, so it cannot be opened there.'
        )
      );
      return;
    }
    goToPath(app, path);
  };

  const emptyTrash = async () => {
    const trash = usage.usage?.trash;
    const confirmed = await confirmDestructive(
      trans,
      trans.__('Empty trash?'),
      trans._n(
        'Delete %1 file (%2) from the trash for good? This cannot be undone.',
        'Delete %1 files (%2) from the trash for good? This cannot be undone.',
        trash?.files ?? 0,
        formatBytes(trash?.bytes ?? 0)
      ),
      trans.__('Empty trash')
    );
    if (!confirmed) {
      return;
    }
    try {
      const { freed, failed } = await usage.emptyTrash();
      if (failed.length > 0) {
        Notification.warning(
          trans.__(
            'Freed %1; %2 could not be deleted.',
            formatBytes(freed),
            failed.join(', ')
          )
        );
      } else {
        Notification.success(
          trans.__('Trash emptied: %1 freed.', formatBytes(freed)),
          {
            autoClose: 5000
          }
        );
      }
    } catch (error) {
      Notification.error(
        trans.__('The trash could not be emptied: %1', String(error))
      );
    }
  };

  const rescue = async (path: string) => {
    try {
      const result = await atRisk.rescue([path]);
      void usage.refresh();
      const moved = result.rescued[0];
      const relative = PathExt.join(
        result.folder,
        PathExt.basename(moved.destination)
      );
      Notification.success(
        trans.__('Moved %1 into your home: %2', path, relative),
        {
          autoClose: 8000,
          actions: [
            {
              label: trans.__('Show in file browser'),
              callback: () => showInFileBrowser(relative)
            }
          ]
        }
      );
    } catch (error) {
      Notification.error(
        trans.__('%1 was not moved: %2', path, (error as Error).message)
      );
    }
  };

  const copyPipCommand = (packages: IPackage[]) => {
    const specs = packages.map(p => `${p.name}==${p.version}`).join(' ');
    Clipboard.copyToSystem(`pip install --user ${specs}`);
    Notification.info(
      trans.__(
        'Copied: pip install --user %1. Run it in a terminal to keep these packages in your home.',
        specs
      ),
      { autoClose: 8000 }
    );
  };

  return {
    showInFileBrowser,
    emptyTrash: () => void emptyTrash(),
    rescue: path => void rescue(path),
    copyPipCommand,
    sendFromHome: relative => {
      const path = contentsPath(relative);
      if (path !== null) {
        send([path]);
      }
    },
    sendToLake: path => send([path])
  };
}
