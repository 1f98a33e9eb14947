/**
 * "Send to data lake": which files (the command's arguments or the file browser's selection),
 * whether the lake can take them now, and the dialog that asks where they go before the
 * transfer starts on the server. The command itself is registered with the others in
 * register.ts.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { ConnectionState, IStatus } from '../api/types';
import { askThenStart } from '../dialogs/ask';
import { SendDialog } from '../dialogs/SendDialog';
import { writableAreas, writeRefusal } from '../logic/areas';
import { transferName } from '../logic/transfers';
import { StatusModel } from '../models/status';
import { TransfersModel } from '../models/transfers';

export interface ISendOptions {
  app: JupyterFrontEnd;
  status: StatusModel;
  transfers: TransfersModel;
  trans: TranslationBundle;
  browsers: IFileBrowserFactory | null;
  openPanel: () => void;
}

/** What the "Send to data lake" command is made of. */
export interface ISender {
  /**
   * Ask where the files go, then start the transfer on the server; the dialog starts at
   * `into` when given (the lake folder files were dropped on).
   */
  send(paths: string[], into?: Partial<SendDialog.IValue>): Promise<void>;
  /** What keeps the lake from being used now; null when it works or nobody knows yet. */
  problem(): ConnectionState | 'server-unreachable' | null;
  /** File browser paths, from the command's arguments or else the file browser's selection. */
  pathsOf(args: { readonly [key: string]: unknown }): string[];
}

/** The send flow, for the command to run and to say whether it can. */
export function sender(options: ISendOptions): ISender {
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
    if (current.connection.state === 'ok' && current.areas?.length) {
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

  const send = async (
    paths: string[],
    into: Partial<SendDialog.IValue> = {}
  ): Promise<void> => {
    const current = paths.length > 0 ? await connected() : null;
    if (!current || !current.areas) {
      return;
    }
    const { areas } = current;
    if (writableAreas(areas).length === 0) {
      // A dialog with nothing to choose would only fail on Send; say why at once.
      Notification.warning(
        trans.__(
          'You may not write to any area of the data lake: %1',
          areas.map(area => writeRefusal(area, trans)).join(' ')
        ),
        {
          autoClose: 10000,
          actions: [
            {
              label: trans.__('Open Storage panel'),
              callback: options.openPanel
            }
          ]
        }
      );
      return;
    }
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
          areas,
          plan: request => transfers.plan(request),
          trans,
          initial: { ...into, ...initial },
          notice
        }),
      start: value => transfers.startTransfer({ sources: paths, ...value }),
      appeared: trans.__(
        'Something with the same name has appeared in the data lake since. Choose what to do with it, then send again.'
      ),
      failed: reason => trans.__('%1 was not sent: %2', name, reason),
      trans
    });
  };

  return { send, problem, pathsOf };
}
