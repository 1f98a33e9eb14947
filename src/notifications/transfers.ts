import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { ITransfer } from '../api/types';
import { ITransferActions } from '../components/actions';
import { downloadedInto, transferName } from '../logic/transfers';
import { TransfersModel } from '../models/transfers';

/** How long the word that a transfer started stays on screen; it stays in the centre. */
const STARTED_MS = 5000;
/** How long the word that a transfer was cancelled stays on screen. */
const CANCELLED_MS = 3000;

/**
 * Tells the user that each transfer they started runs, then, in the same notification, how it
 * ended, wherever they are in JupyterLab: with what to paste into code when an upload is
 * done, where a download went, and a way to try again when it failed. One notification a
 * transfer, so the notification centre holds no "Sending…" beside its outcome.
 */
export class TransferNotifier implements IDisposable {
  constructor(
    private readonly _transfers: TransfersModel,
    private readonly _trans: TranslationBundle,
    private readonly _actions: ITransferActions
  ) {
    _transfers.started.connect(this._started, this);
    _transfers.finished.connect(this._notify, this);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (!this._disposed) {
      this._disposed = true;
      this._transfers.started.disconnect(this._started, this);
      this._transfers.finished.disconnect(this._notify, this);
      this._shown.clear();
    }
  }

  private _started(_: unknown, transfer: ITransfer): void {
    const trans = this._trans;
    const name = transferName(transfer, trans);
    const message = {
      download: () =>
        trans.__('Downloading %1 into /%2…', name, downloadedInto(transfer)),
      upload: () => trans.__('Sending %1 to the data lake…', name),
      copy: () => trans.__('Copying %1 in the data lake…', name),
      move: () => trans.__('Moving %1 in the data lake…', name)
    }[transfer.direction]();
    const options = {
      autoClose: STARTED_MS,
      actions: [
        {
          label: trans.__('Show transfers'),
          callback: this._actions.showTransfers
        }
      ]
    };
    // A retry's word replaces how the run before ended.
    this._say(transfer, 'in-progress', message, options);
  }

  /**
   * Say something of a transfer in the notification that tells of it, while that is in the
   * notification centre; else in a new one, unless `inPlaceOnly`.
   */
  private _say(
    transfer: ITransfer,
    type: Notification.TypeOptions,
    message: string,
    options: { autoClose: number | false; actions?: Notification.IAction[] },
    inPlaceOnly = false
  ): void {
    const id = this._shown.get(transfer.id);
    const updated =
      id !== undefined &&
      Notification.update({
        id,
        message,
        type,
        autoClose: options.autoClose,
        actions: options.actions ?? []
      });
    if (!updated && !inPlaceOnly) {
      this._shown.set(transfer.id, Notification.emit(message, type, options));
    }
  }

  private _notify(_: unknown, transfer: ITransfer): void {
    const trans = this._trans;
    const actions = this._actions;
    // Toasts show about 140 characters; the name comes first, the long URI last.
    const name = transferName(transfer, trans);
    const download = transfer.direction === 'download';
    if (transfer.state === 'cancelled') {
      // The user cancelled it and knows: only the word that it started, if still there,
      // changes to say so, briefly.
      this._say(
        transfer,
        'info',
        trans.__('%1: %2', name, transfer.message ?? trans.__('Cancelled.')),
        { autoClose: CANCELLED_MS },
        true
      );
    } else if (transfer.state === 'done' && download) {
      this._downloaded(transfer, name);
    } else if (transfer.state === 'done') {
      // Copying leaves the notification up, so that both can be copied.
      const copy = (what: (t: ITransfer) => void) => (event: MouseEvent) => {
        event.preventDefault();
        what(transfer);
      };
      const skipped = transfer.files_skipped;
      this._say(
        transfer,
        'success',
        skipped > 0
          ? trans._n(
              'Sent %2 to the data lake (%1 skipped, already there): %3',
              'Sent %2 to the data lake (%1 skipped, already there): %3',
              skipped,
              name,
              transfer.uri
            )
          : {
              upload: () =>
                trans.__('Sent %1 to the data lake: %2', name, transfer.uri),
              copy: () => trans.__('Copied %1 to %2', name, transfer.uri),
              move: () => trans.__('Moved %1 to %2', name, transfer.uri)
            }[transfer.direction as 'upload' | 'copy' | 'move'](),
        {
          autoClose: 10000,
          actions: [
            {
              label: trans.__('Copy s3a:// URI'),
              callback: copy(actions.copyUri)
            },
            {
              label: trans.__('Copy Python snippet'),
              callback: copy(actions.copySnippet)
            }
          ]
        }
      );
    } else if (transfer.state === 'failed') {
      const reason = transfer.message ?? trans.__('the transfer failed.');
      const show = {
        label: trans.__('Show transfers'),
        callback: actions.showTransfers
      };
      // The server cannot read the user's computer: only they can upload such a file again.
      const retry =
        transfer.origin === 'browser'
          ? []
          : [
              {
                label: trans.__('Retry'),
                callback: () => actions.retry(transfer)
              }
            ];
      this._say(
        transfer,
        'error',
        {
          download: () => trans.__('%1 was not downloaded: %2', name, reason),
          upload: () => trans.__('%1 was not sent: %2', name, reason),
          copy: () => trans.__('%1 was not copied: %2', name, reason),
          move: () => trans.__('%1 was not moved: %2', name, reason)
        }[transfer.direction](),
        { autoClose: false, actions: [...retry, show] }
      );
    }
  }

  private _downloaded(transfer: ITransfer, name: string): void {
    const trans = this._trans;
    const folder = `/${downloadedInto(transfer)}`;
    const skipped = transfer.files_skipped;
    this._say(
      transfer,
      'success',
      skipped > 0
        ? trans._n(
            'Downloaded %2 into %3 (%1 skipped, already there)',
            'Downloaded %2 into %3 (%1 skipped, already there)',
            skipped,
            name,
            folder
          )
        : trans.__('Downloaded %1 into %2', name, folder),
      {
        autoClose: 10000,
        actions: [
          {
            label: trans.__('Show in file browser'),
            callback: () => this._actions.showInFileBrowser(transfer)
          }
        ]
      }
    );
  }

  private _disposed = false;
  /** The notification that tells of a transfer, by transfer id: how it runs, then ended. */
  private _shown = new Map<string, string>();
}
