/**
 * What the buttons of the Storage panel and of the notifications run: the view contract of
 * components/actions.ts carried out with the models, dialogs and notifications. Whatever
 * replaces or deletes something asks first; whatever fails is told in a notification, with the
 * server's reason, since the views themselves only show what the models hold.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { ILakeActions, ITransferActions } from '../components/actions';
import { askClash, askThenStart, confirmDestructive } from '../dialogs/ask';
import { DownloadDialog } from '../dialogs/DownloadDialog';
import { deleteRefusal, writeRefusal } from '../logic/areas';
import { deleteQuestion, notYoursReason } from '../logic/deletes';
import { ILakeEntry } from '../logic/entries';
import { pythonSnippet, s3aUri } from '../logic/snippets';
import { transferName } from '../logic/transfers';
import { LakeBrowserModel } from '../models/lake';
import { openFromLake } from './lakeOpen';
import { StatusModel } from '../models/status';
import { TransfersModel } from '../models/transfers';
import { transient } from '../notifications/transient';
import { CommandIDs, LakeOpIDs } from '../tokens';

/** Show a file browser path (relative to its root) in the file browser. */
export function goToPath(app: JupyterFrontEnd, path: string): void {
  void app.commands.execute('filebrowser:go-to-path', { path: `/${path}` });
}

/**
 * The panel's and the notifications' transfer buttons. A failure is told in a notification:
 * the list itself shows the state the server reports.
 */
export function transferActions(
  app: JupyterFrontEnd,
  transfers: TransfersModel,
  trans: TranslationBundle,
  showTransfers: () => void
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
      attempt(transfers.remove(transfer.id), reason =>
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
    // Where the command is installed (plugins/commands.ts), for a folder sent to the lake.
    trinoTable: transfer =>
      app.commands.hasCommand(LakeOpIDs.trinoTable)
        ? void app.commands.execute(LakeOpIDs.trinoTable, {
            area: transfer.area,
            prefix: transfer.destination
          })
        : undefined,
    showTransfers,
    showInFileBrowser: transfer => goToPath(app, transfer.destination)
  };
}

/** Copy an s3a:// URI for Spark, Hive or Trino, and say so. */
export function copyUri(uri: string, trans: TranslationBundle): void {
  Clipboard.copyToSystem(uri);
  transient(trans.__('Copied %1', uri));
}

/** Copy Python that reads a key (or lists a folder, for a key ending in "/"), and say so. */
export function copySnippet(
  bucket: string,
  key: string,
  name: string,
  trans: TranslationBundle
): void {
  Clipboard.copyToSystem(pythonSnippet(bucket, key));
  transient(
    trans.__('Copied Python that reads %1; paste it into a notebook.', name)
  );
}

export interface ILakeActionsOptions {
  app: JupyterFrontEnd;
  model: LakeBrowserModel;
  /** Knows the default bucket, for URIs and snippets of an area not known yet. */
  status: StatusModel;
  trans: TranslationBundle;
  browsers: IFileBrowserFactory | null;
  showTransfers: () => void;
}

/**
 * What the data lake browser's buttons run. Whatever replaces or deletes something asks
 * first; what the area's rights rule out is refused at once, with the reason, rather than
 * after a request; what fails is told in a notification, with the server's reason.
 */
export function lakeActions(options: ILakeActionsOptions): ILakeActions {
  const { app, model, status, trans, browsers, showTransfers } = options;
  // Areas may live in buckets of their own.
  const bucket = () => model.current?.bucket ?? status.status?.bucket ?? '';
  /** Tell why the area shown rules an action out; true if it does. */
  const refused = (rule: typeof writeRefusal): boolean => {
    const area = model.current;
    const reason = area && rule(area, trans);
    if (reason) {
      Notification.warning(reason, { autoClose: 8000 });
    }
    return Boolean(reason);
  };
  const nameOf = (entries: ILakeEntry[]) =>
    entries.length === 1
      ? entries[0].name
      : trans.__('%1 items', entries.length);

  /** The folder the file browser shows, as the server knows it ("" for its root). */
  const browserFolder = (): string => {
    const path = browsers?.tracker.currentWidget?.model.path;
    return path ? app.serviceManager.contents.localPath(path) : '';
  };

  const lake: ILakeActions = {
    open: entry => openFromLake({ app, model, status, trans, lake }, entry),
    downloadToHome: (entries, into) => {
      const keys = entries.map(entry => entry.key);
      // The area of the rows clicked, whatever the browser shows by the time of the answer.
      const area = model.area;
      const name = nameOf(entries);
      const destination =
        into === undefined
          ? browserFolder()
          : app.serviceManager.contents.localPath(into);
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
        trans
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
      if (refused(deleteRefusal)) {
        return;
      }
      const current = model.current;
      if (!current) {
        return;
      }
      // Others' objects where users delete only their own: say whose, rather than ask.
      const notYours =
        current.delete === 'own'
          ? entries.find(entry => model.canDelete(entry) === false)
          : undefined;
      if (notYours) {
        Notification.warning(
          notYoursReason(
            current,
            notYours,
            model.info(notYours)?.uploader,
            trans
          ),
          { autoClose: 8000 }
        );
        return;
      }
      const area = current.id;
      const name = nameOf(entries);
      const keys = entries.map(entry => entry.key);
      const confirmed = await confirmDestructive(
        trans,
        trans.__('Delete %1?', name),
        deleteQuestion(current, entries, status.status?.user ?? null, trans),
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
    rename: entry => {
      // The rename dialog and its server-side copy belong to the lake operations; without
      // them installed, F2 does nothing rather than fail.
      if (app.commands.hasCommand(LakeOpIDs.rename)) {
        void app.commands.execute(LakeOpIDs.rename, {
          area: model.area,
          key: entry.key
        });
      }
    },
    sendHere: paths => {
      if (paths.length === 0 || refused(writeRefusal)) {
        return;
      }
      void app.commands.execute(CommandIDs.sendToLake, {
        paths: paths.map(path => app.serviceManager.contents.localPath(path)),
        area: model.area,
        prefix: model.prefix
      });
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
      if (files.length === 0 || refused(writeRefusal)) {
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
      void model.upload(files, askClash(trans)).then(report => {
        for (const { name, message } of report.failed) {
          Notification.error(
            trans.__('%1 was not uploaded: %2', name, message)
          );
        }
      });
    }
  };
  return lake;
}
