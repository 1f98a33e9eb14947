import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Clipboard,
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { DataLakeAPIError } from './api';
import { connectionTitle } from './components/ConnectionSection';
import { DownloadDialog } from './components/DownloadDialog';
import { SendDialog } from './components/SendDialog';
import { sendToLakeIcon } from './icons';
import { ILakeActions, ILakeEntry, LakeBrowserModel } from './lake';
import { StatusModel } from './model';
import { pythonSnippet, s3aUri } from './snippets';
import { CommandIDs, ConnectionState, IStatus } from './tokens';
import { ITransferActions, transferName, TransfersModel } from './transfers';

/**
 * The panel's and the notifications' transfer buttons. A failure is told in a notification:
 * the list itself shows the state the server reports.
 */
export function transferActions(
  transfers: TransfersModel,
  trans: TranslationBundle,
  showTransfers: () => void,
  showPath: (path: string) => void
): ITransferActions {
  /** Run an action; say what failed in words: `failure` puts the server's reason in them. */
  const attempt = (
    action: Promise<unknown>,
    failure: (reason: string) => string
  ) => {
    action.catch((error: Error) => Notification.error(failure(error.message)));
  };
  return {
    cancel: transfer =>
      attempt(transfers.cancel(transfer.id), reason =>
        trans.__(
          '%1 could not be cancelled: %2',
          transferName(transfer, trans),
          reason
        )
      ),
    retry: transfer =>
      attempt(transfers.retry(transfer.id), reason =>
        trans.__(
          '%1 could not be retried: %2',
          transferName(transfer, trans),
          reason
        )
      ),
    remove: transfer =>
      attempt(transfers.remove(transfer.id), reason =>
        trans.__(
          '%1 could not be removed from the list: %2',
          transferName(transfer, trans),
          reason
        )
      ),
    clear: () =>
      attempt(transfers.clear(), reason =>
        trans.__('Finished transfers could not be cleared: %1', reason)
      ),
    copyUri: transfer => copyUri(transfer.uri, trans),
    copySnippet: transfer =>
      copySnippet(
        transfer.bucket,
        transfer.destination,
        transferName(transfer, trans),
        trans
      ),
    showTransfers,
    showInFileBrowser: transfer => showPath(transfer.destination)
  };
}

/** Ask before something that cannot be undone; Cancel is the safe default. */
export async function confirmDestructive(
  trans: TranslationBundle,
  title: string,
  body: string,
  action: string
): Promise<boolean> {
  const answer = await showDialog({
    title,
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: action })
    ]
  });
  return answer.button.accept;
}

/** Copy an s3a:// URI for Spark, Hive or Trino, and say so. */
function copyUri(uri: string, trans: TranslationBundle): void {
  Clipboard.copyToSystem(uri);
  Notification.info(trans.__('Copied %1', uri), { autoClose: 3000 });
}

/** Copy Python that reads a key (or lists a folder, for a key ending in "/"), and say so. */
function copySnippet(
  bucket: string,
  key: string,
  name: string,
  trans: TranslationBundle
): void {
  Clipboard.copyToSystem(pythonSnippet(bucket, key));
  Notification.info(
    trans.__('Copied Python that reads %1; paste it into a notebook.', name),
    { autoClose: 3000 }
  );
}

/**
 * Ask where a transfer goes, then start it. When something appeared at the destination
 * since the dialog planned it (a 409), the dialog is shown again, with the choice made and a
 * word on why.
 */
async function askThenStart<T>(options: {
  title: string;
  /** The label of the button that starts. */
  accept: string;
  body: (
    initial: Partial<T>,
    notice: string | undefined
  ) => Widget & { getValue(): T };
  start: (value: T) => Promise<unknown>;
  /** What the dialog says when shown again after a clash. */
  appeared: string;
  failed: (reason: string) => string;
  /** What the notification says once it started. */
  started: (value: T) => string;
  trans: TranslationBundle;
  showTransfers: () => void;
}): Promise<void> {
  const { trans } = options;
  let initial: Partial<T> = {};
  let notice: string | undefined;
  for (;;) {
    const result = await showDialog({
      title: options.title,
      body: options.body(initial, notice),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: options.accept })
      ],
      focusNodeSelector: 'input[type="text"]'
    });
    if (!result.button.accept || !result.value) {
      return;
    }
    initial = result.value;
    try {
      await options.start(result.value);
    } catch (error) {
      if (error instanceof DataLakeAPIError && error.status === 409) {
        notice = options.appeared;
        continue;
      }
      Notification.error(options.failed((error as Error).message));
      return;
    }
    Notification.info(options.started(result.value), {
      autoClose: 5000,
      actions: [
        { label: trans.__('Show transfers'), callback: options.showTransfers }
      ]
    });
    return;
  }
}

export interface ISendOptions {
  app: JupyterFrontEnd;
  status: StatusModel;
  transfers: TransfersModel;
  trans: TranslationBundle;
  browsers: IFileBrowserFactory | null;
  palette: ICommandPalette | null;
  openPanel: () => void;
  showTransfers: () => void;
}

/**
 * Add the "Send to data lake" command, and return what it runs, for the panel's buttons:
 * ask where the files go, then start the transfer on the server.
 */
export function addSendCommand(
  options: ISendOptions
): (paths: string[]) => Promise<void> {
  const { app, status, transfers, trans, browsers } = options;

  /** What keeps the lake from being used now; null when it works or nobody knows yet. */
  const problem = (): ConnectionState | 'server-unreachable' | null => {
    const state = status.error
      ? 'server-unreachable'
      : status.status?.connection.state;
    return state && state !== 'ok' ? state : null;
  };

  /** File browser paths, from the arguments or else the file browser's selection. */
  const pathsOf = (args: { readonly [key: string]: unknown }): string[] => {
    if (Array.isArray(args['paths'])) {
      return (args['paths'] as unknown[]).filter(
        (path): path is string => typeof path === 'string'
      );
    }
    const browser = browsers?.tracker.currentWidget;
    if (!browser) {
      return [];
    }
    // Without the drive prefix a collaborative drive adds: the server knows local paths.
    const contents = app.serviceManager.contents;
    return Array.from(browser.selectedItems(), item =>
      contents.localPath(item.path)
    );
  };

  /** The status to send with: the one known if connected, else asked for now. */
  const connected = async (): Promise<IStatus | null> => {
    let current: IStatus;
    try {
      current = status.isConnected
        ? (status.status as IStatus)
        : await status.check();
    } catch (error) {
      Notification.error(
        trans.__('The data lake cannot be used: %1', (error as Error).message)
      );
      return null;
    }
    if (current.connection.state === 'ok' && current.areas && current.bucket) {
      return current;
    }
    Notification.warning(
      trans.__('The data lake cannot be used: %1', current.connection.message),
      {
        autoClose: 8000,
        actions: [
          { label: trans.__('Open Storage panel'), callback: options.openPanel }
        ]
      }
    );
    return null;
  };

  const send = async (paths: string[]): Promise<void> => {
    const current = paths.length > 0 ? await connected() : null;
    if (!current || !current.areas || !current.bucket) {
      return;
    }
    const { bucket, areas } = current;
    const name = transferName({ sources: paths }, trans);
    await askThenStart<SendDialog.IValue>({
      title: trans._n(
        'Send %2 to the data lake',
        'Send %1 items to the data lake',
        paths.length,
        name
      ),
      accept: trans.__('Send'),
      body: (initial, notice) =>
        new SendDialog({
          sources: paths,
          bucket,
          areas,
          plan: request => transfers.plan(request),
          trans,
          initial,
          notice
        }),
      start: value => transfers.startTransfer({ sources: paths, ...value }),
      appeared: trans.__(
        'Something with the same name has appeared in the data lake since. Choose what to do with it, then send again.'
      ),
      failed: reason => trans.__('%1 was not sent: %2', name, reason),
      started: () =>
        trans._n(
          'Sending %2 to the data lake…',
          'Sending %1 items to the data lake…',
          paths.length,
          name
        ),
      trans,
      showTransfers: options.showTransfers
    });
  };

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
    execute: args => send(pathsOf(args)),
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
  return send;
}

export interface ILakeActionsOptions {
  app: JupyterFrontEnd;
  model: LakeBrowserModel;
  /** Knows the bucket, for URIs and snippets. */
  status: StatusModel;
  trans: TranslationBundle;
  browsers: IFileBrowserFactory | null;
  showTransfers: () => void;
}

/**
 * What the data lake browser's buttons run. Whatever replaces or deletes something asks
 * first; what fails is told in a notification, with the server's reason.
 */
export function lakeActions(options: ILakeActionsOptions): ILakeActions {
  const { app, model, status, trans, browsers, showTransfers } = options;
  const bucket = () => status.status?.bucket ?? '';
  const nameOf = (entries: ILakeEntry[]) =>
    entries.length === 1
      ? entries[0].name
      : trans.__('%1 items', entries.length);

  /** The folder the file browser shows, as the server knows it ("" for its root). */
  const browserFolder = (): string => {
    const path = browsers?.tracker.currentWidget?.model.path;
    return path ? app.serviceManager.contents.localPath(path) : '';
  };

  const askClash: LakeBrowserModel.AskClash = async (name, remaining) => {
    const overwrite = Dialog.warnButton({ label: trans.__('Overwrite') });
    const result = await showDialog({
      title: trans.__('%1 exists already', name),
      body: trans.__(
        'This folder of the data lake has a %1 already. Overwrite it, keep both (the upload gets a new name), or skip this file?',
        name
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Skip') }),
        overwrite,
        Dialog.okButton({ label: trans.__('Keep both') })
      ],
      checkbox:
        remaining > 0
          ? {
              label: trans.__('Do the same for the other files that clash'),
              checked: false
            }
          : null
    });
    return {
      conflict: !result.button.accept
        ? 'skip'
        : result.button.label === overwrite.label
          ? 'overwrite'
          : 'rename',
      always: result.isChecked === true
    };
  };

  return {
    downloadToHome: entries => {
      const keys = entries.map(entry => entry.key);
      // The area of the rows clicked, whatever the browser shows by the time of the answer.
      const area = model.area;
      const name = nameOf(entries);
      const destination = browserFolder();
      void askThenStart<DownloadDialog.IValue>({
        title: trans.__('Download %1 to home', name),
        accept: trans.__('Download'),
        body: (initial, notice) =>
          new DownloadDialog({
            plan: folder => model.planDownload(keys, folder, area),
            trans,
            initial: { destination, ...initial },
            notice
          }),
        start: value =>
          model.download(keys, value.destination, value.conflict, area),
        appeared: trans.__(
          'Something with the same name has appeared in that folder since. Choose what to do with it, then download again.'
        ),
        failed: reason => trans.__('%1 was not downloaded: %2', name, reason),
        started: value =>
          trans.__('Downloading %1 into /%2…', name, value.destination),
        trans,
        showTransfers
      });
    },
    downloadToComputer: entry => {
      // The web browser saves what a download link points to; the server says it is an
      // attachment, so nothing is opened in a tab.
      const link = document.createElement('a');
      link.href = model.downloadUrl(entry.key);
      link.download = entry.name;
      link.rel = 'noopener';
      document.body.appendChild(link);
      link.click();
      link.remove();
    },
    copyUri: entry => copyUri(s3aUri(bucket(), entry.key), trans),
    copySnippet: entry => copySnippet(bucket(), entry.key, entry.name, trans),
    delete: async entries => {
      const area = model.area;
      const name = nameOf(entries);
      const keys = entries.map(entry => entry.key);
      const confirmed = await confirmDestructive(
        trans,
        trans.__('Delete %1?', name),
        entries.some(entry => entry.kind === 'folder')
          ? trans.__(
              'Delete %1 and everything in it from the data lake, for everyone? This cannot be undone.',
              keys.join(', ')
            )
          : trans.__(
              'Delete %1 from the data lake, for everyone? This cannot be undone.',
              keys.join(', ')
            ),
        trans.__('Delete')
      );
      if (!confirmed) {
        return;
      }
      try {
        const { deleted, failed, missing } = await model.delete(keys, area);
        if (deleted === 0 && failed.length === 0 && missing.length > 0) {
          // Someone else deleted it first: say so rather than claim a deletion.
          Notification.info(
            trans.__('%1 was not in the data lake any more.', name),
            { autoClose: 3000 }
          );
        } else if (failed.length > 0) {
          Notification.warning(
            trans.__(
              'Deleted %1 objects; these could not be deleted: %2',
              deleted,
              failed.map(f => `${f.key} (${f.message})`).join(', ')
            ),
            { autoClose: false }
          );
        } else {
          Notification.success(trans.__('Deleted %1.', name), {
            autoClose: 3000
          });
        }
      } catch (error) {
        Notification.error(
          trans.__('%1 was not deleted: %2', name, (error as Error).message)
        );
      }
    },
    upload: (files, folders = []) => {
      if (folders.length > 0) {
        Notification.warning(
          trans._n(
            '%2 is a folder, which a web page cannot upload. Upload the files in it, or put the folder in your home and send it from there.',
            '%2 are folders, which a web page cannot upload. Upload the files in them, or put the folders in your home and send them from there.',
            folders.length,
            folders.join(', ')
          ),
          { autoClose: 10000 }
        );
      }
      if (files.length === 0) {
        return;
      }
      Notification.info(
        trans._n(
          'Uploading %2 to the data lake…',
          'Uploading %1 files to the data lake…',
          files.length,
          files[0].name
        ),
        {
          autoClose: 4000,
          actions: [
            { label: trans.__('Show transfers'), callback: showTransfers }
          ]
        }
      );
      void model.upload(files, askClash).then(report => {
        for (const { name, message } of report.failed) {
          Notification.error(
            trans.__('%1 was not uploaded: %2', name, message)
          );
        }
      });
    }
  };
}
