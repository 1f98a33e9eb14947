/**
 * What the Usage and "Lost at restart" sections' buttons run: show a file of home in the file
 * browser, empty the trash, rescue an entry into home, copy a pip command, send to the lake.
 * Paths in those sections are relative to home, the file browser's to its root; the mapping
 * between the two is here, once.
 *
 * Hidden paths (a checkpoint, the trash) are shown by turning on the file browser's hidden
 * files, where the server allows them (ContentsManager.allow_hidden, `hidden_shown` in the
 * usage); where it does not, it answers 404 for them, so the user is told why instead, and
 * offered what they can do: show the notebook a checkpoint is of, empty the trash.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { IPackage } from '../api/types';
import { IHomeActions } from '../components/actions';
import { goToPath } from './actions';
import { confirmDestructive } from '../dialogs/ask';
import { formatBytes } from '../logic/format';
import { homePathKind, isHiddenPath } from '../logic/homePaths';
import { AtRiskModel } from '../models/atrisk';
import { UsageModel } from '../models/usage';

export interface IHomeActionsOptions {
  app: JupyterFrontEnd;
  usage: UsageModel;
  atRisk: AtRiskModel;
  trans: TranslationBundle;
  /** Send file browser paths to the data lake, asking where first. */
  send: (paths: string[]) => void;
  /** The file browsers, whose hidden files "Show" turns on for a hidden path. */
  browsers?: IFileBrowserFactory | null;
}

export function homeActions(options: IHomeActionsOptions): IHomeActions {
  const { app, usage, atRisk, trans, send, browsers } = options;

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
    if (isHiddenPath(path)) {
      if (!usage.usage?.hidden_shown) {
        explainHidden(relative);
        return;
      }
      // For this navigation; the user's own setting takes over again when changed.
      const browser = browsers?.tracker.currentWidget;
      if (browser) {
        browser.showHiddenFiles = true;
      }
    }
    goToPath(app, path);
  };

  /**
   * Why a hidden path cannot be shown, and what to do instead. Short: a toast shows only the
   * first 140 characters of a message.
   */
  const explainHidden = (relative: string) => {
    const kind = homePathKind(relative);
    const name = PathExt.basename(relative);
    const notify = (message: string, action: Notification.IAction) =>
      Notification.info(message, { autoClose: false, actions: [action] });
    if (kind.kind === 'checkpoint') {
      const of = PathExt.basename(kind.of);
      notify(
        trans.__(
          '%1 is the notebook checkpoint of %2, a hidden file: this server hides those (ContentsManager.allow_hidden).',
          name,
          of
        ),
        {
          label: trans.__('Show %1', of),
          callback: () => showInFileBrowser(kind.of)
        }
      );
    } else if (kind.kind === 'trash') {
      notify(
        trans.__(
          '%1 is in the trash, which this server hides (ContentsManager.allow_hidden). It counts until emptied.',
          kind.name || name
        ),
        { label: trans.__('Empty trash'), callback: () => void emptyTrash() }
      );
    } else {
      notify(
        trans.__(
          '%1 is hidden, and this server hides hidden files from the file browser (ContentsManager.allow_hidden).',
          name
        ),
        {
          label: trans.__('Copy path'),
          callback: () => Clipboard.copyToSystem(relative)
        }
      );
    }
  };

  const emptyTrash = async () => {
    const trash = usage.usage?.trash;
    const bytes = formatBytes(trash?.bytes ?? 0);
    // `items` counts what was trashed; `files` would count each .trashinfo sidecar too.
    const question =
      trash?.items === undefined
        ? trans.__(
            'Delete everything in the trash (%1 on disk) for good? This cannot be undone.',
            bytes
          )
        : trans._n(
            'Delete %1 item (%2 on disk) from the trash for good? This cannot be undone.',
            'Delete %1 items (%2 on disk) from the trash for good? This cannot be undone.',
            trash.items,
            bytes
          );
    const confirmed = await confirmDestructive(
      trans,
      trans.__('Empty trash?'),
      question,
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
