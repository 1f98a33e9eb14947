import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import { DataLakeAPI } from './api';
import { UsageModel } from './model';
import { formatBytes } from './format';
import { findPathsInNotebook, findPathsInPython } from './pathcheck';
import { diskFullMessage, quotaMessage, ThresholdWatcher } from './quota';
import { ITransfer } from './tokens';
import {
  downloadedInto,
  ITransferActions,
  transferName,
  TransfersModel
} from './transfers';

export interface IQuotaActions {
  openPanel: () => void;
  showLargestFiles: () => void;
}

/** The buttons every storage notification offers. */
function storageButtons(
  trans: TranslationBundle,
  actions: IQuotaActions
): Notification.IAction[] {
  return [
    { label: trans.__('Open Storage panel'), callback: actions.openPanel },
    {
      label: trans.__('Show largest files'),
      callback: actions.showLargestFiles
    }
  ];
}

/**
 * Tells the user, once per upward crossing, that home is filling up. Notifications go through
 * JupyterLab's notification manager, so do-not-disturb mode keeps them in the notification
 * centre without a toast.
 */
export class QuotaNotifier {
  constructor(
    private readonly _usage: UsageModel,
    private readonly _trans: TranslationBundle,
    private readonly _actions: IQuotaActions
  ) {
    _usage.changed.connect(this._check, this);
  }

  private _check(): void {
    const usage = this._usage.usage;
    // `changed` also fires when a request starts or a setting changes; judge each figure once.
    if (!usage || usage.percent === null || usage === this._last) {
      return;
    }
    this._last = usage;
    const level = this._watcher.update(usage.percent, this._usage.thresholds);
    if (level === null || level === 'normal') {
      return;
    }
    const options = {
      autoClose: false as const,
      actions: storageButtons(this._trans, this._actions)
    };
    const message = quotaMessage(level, usage, this._trans);
    if (level === 'warning') {
      Notification.warning(message, options);
    } else {
      Notification.error(message, options);
    }
  }

  private _watcher = new ThresholdWatcher();
  private _last: unknown = null;
}

/**
 * Watches every document's context once, whatever kind of document it is, including kinds
 * whose widget factories are registered after this extension starts.
 */
export abstract class DocumentWatcher implements DocumentRegistry.IWidgetExtension<
  any,
  any
> {
  attach(registry: DocumentRegistry): void {
    const add = (name: string) => {
      if (!this._factories.has(name.toLowerCase())) {
        this._factories.add(name.toLowerCase());
        registry.addWidgetExtension(name, this);
      }
    };
    for (const factory of registry.widgetFactories()) {
      add(factory.name);
    }
    registry.changed.connect((_, change) => {
      if (
        change.type === 'widgetFactory' &&
        change.change === 'added' &&
        change.name
      ) {
        add(change.name);
      }
    });
  }

  createNew(_: unknown, context: DocumentRegistry.IContext<any>): void {
    // One context can back several widgets (a notebook opened twice); watch it once.
    if (!this._contexts.has(context)) {
      this._contexts.add(context);
      this.watch(context);
    }
  }

  protected abstract watch(context: DocumentRegistry.IContext<any>): void;

  private _factories = new Set<string>();
  private _contexts = new WeakSet<object>();
}

/**
 * A document registry extension around saves. Before a save it checks that the document fits
 * on the volume it goes to, and if not asks whether to save anyway or free space first; after
 * a save that failed for lack of space it explains what happened. The document itself is left
 * alone: JupyterLab keeps it open and dirty, so nothing is lost.
 */
export class SaveGuard extends DocumentWatcher {
  constructor(
    private readonly _api: DataLakeAPI,
    private readonly _usage: UsageModel,
    private readonly _trans: TranslationBundle,
    private readonly _actions: IQuotaActions
  ) {
    super();
  }

  protected watch(context: DocumentRegistry.IContext<any>): void {
    let started = 0;
    const save = context.save.bind(context);
    context.save = async () => {
      if (await this._fits(context)) {
        return save();
      }
    };
    context.saveState.connect((_, state) => {
      if (state === 'started') {
        started = Date.now() / 1000;
      } else if (state === 'failed') {
        void this._explain(context.path, started);
      }
    });
  }

  /**
   * Whether to go on with a save: yes when the document fits, when its size cannot be told,
   * or when the user says to save anyway. A failure of this check never blocks a save.
   */
  private async _fits(
    context: DocumentRegistry.IContext<any>
  ): Promise<boolean> {
    const size = documentSize(context);
    if (size === null) {
      return true;
    }
    let free: number;
    try {
      free = (await this._api.getSpace(context.path)).free;
    } catch {
      return true;
    }
    if (size <= free) {
      return true;
    }
    if (this._asking.has(context)) {
      return false; // an autosave while the question is open waits for the answer
    }
    this._asking.add(context);
    try {
      const answer = await showDialog({
        title: this._trans.__('Not enough space to save'),
        body: this._trans.__(
          '%1 is about %2, but only %3 is free where it is saved. The save will probably fail. Your changes stay open either way.',
          context.path,
          formatBytes(size),
          formatBytes(free)
        ),
        buttons: [
          Dialog.cancelButton({ label: this._trans.__('Free space first') }),
          Dialog.warnButton({ label: this._trans.__('Save anyway') })
        ]
      });
      if (!answer.button.accept) {
        this._actions.showLargestFiles();
      }
      return answer.button.accept;
    } finally {
      this._asking.delete(context);
    }
  }

  private async _explain(path: string, started: number): Promise<void> {
    let usage;
    try {
      usage = await this._api.getUsage();
    } catch {
      return; // JupyterLab's own save error is still shown
    }
    const failure = usage.last_save_error;
    // Browser and server clocks may differ a little; a failure recorded for this path
    // around the time this save started is this save's.
    if (!failure || failure.path !== path || failure.at < started - 60) {
      return;
    }
    void this._usage.refresh();
    Notification.error(
      diskFullMessage(path, failure.reason, usage, this._trans),
      {
        autoClose: false,
        actions: storageButtons(this._trans, this._actions)
      }
    );
  }

  private _asking = new WeakSet<object>();
}

/** Bytes the document will take on disk, as the server writes it; null when unknown. */
export function documentSize(
  context: DocumentRegistry.IContext<any>
): number | null {
  const model = context.model;
  if (!model) {
    return null;
  }
  // Notebooks are written as JSON, other text documents as their text.
  const text =
    context.contentsModel?.type === 'notebook' ||
    context.path.endsWith('.ipynb')
      ? JSON.stringify(model.toJSON(), null, 1)
      : model.toString();
  return new Blob([text]).size;
}

/**
 * Warns, once per save (and on opening), when a notebook or Python script writes to a place
 * that is lost at restart, naming the cell and line and suggesting the place under home.
 */
export class PathWarnings extends DocumentWatcher {
  constructor(
    private readonly _trans: TranslationBundle,
    private readonly _where: () => { home: string; locations: string[] } | null,
    private readonly _enabled: () => boolean
  ) {
    super();
  }

  protected watch(context: DocumentRegistry.IContext<any>): void {
    if (!/\.(ipynb|py)$/.test(context.path)) {
      return;
    }
    void context.ready.then(() => this._check(context));
    context.saveState.connect((_, state) => {
      if (state === 'completed') {
        this._check(context);
      }
    });
  }

  private _check(context: DocumentRegistry.IContext<any>): void {
    const where = this._where();
    if (!this._enabled() || !where || !context.model) {
      return;
    }
    const { home, locations } = where;
    const findings = context.path.endsWith('.ipynb')
      ? findPathsInNotebook(context.model.toJSON() as any, locations, home)
      : findPathsInPython(context.model.toString(), locations, home);
    if (findings.length === 0) {
      return;
    }
    const first = findings[0];
    const place =
      first.cell === null
        ? this._trans.__('line %1', first.line)
        : this._trans.__('cell %1, line %2', first.cell + 1, first.line);
    const more =
      findings.length > 1
        ? ' ' + this._trans.__('(and %1 more)', findings.length - 1)
        : '';
    // Toasts show about 140 characters: what, where, and the fix come first.
    Notification.warning(
      this._trans.__(
        '%1 (%2) writes to %3, which a restart deletes. Use %4 instead.',
        PathExt.basename(context.path),
        place,
        first.path,
        first.suggestion
      ) + more,
      { autoClose: 10000 }
    );
  }
}

/**
 * Tells the user how each transfer they watched ended, wherever they are in JupyterLab: with
 * what to paste into code when an upload is done, where a download went, and a way to try
 * again when it failed. A cancelled transfer was cancelled by the user and needs no word.
 */
export class TransferNotifier {
  constructor(
    transfers: TransfersModel,
    private readonly _trans: TranslationBundle,
    private readonly _actions: ITransferActions
  ) {
    transfers.finished.connect(this._notify, this);
  }

  private _notify(_: unknown, transfer: ITransfer): void {
    const trans = this._trans;
    const actions = this._actions;
    // Toasts show about 140 characters; the name comes first, the long URI last.
    const name = transferName(transfer, trans);
    const download = transfer.direction === 'download';
    if (transfer.state === 'done' && download) {
      this._downloaded(transfer, name);
    } else if (transfer.state === 'done') {
      // Copying leaves the notification up, so that both can be copied.
      const copy = (what: (t: ITransfer) => void) => (event: MouseEvent) => {
        event.preventDefault();
        what(transfer);
      };
      const skipped = transfer.files_skipped;
      Notification.success(
        skipped > 0
          ? trans._n(
              'Sent %2 to the data lake (%1 skipped, already there): %3',
              'Sent %2 to the data lake (%1 skipped, already there): %3',
              skipped,
              name,
              transfer.uri
            )
          : trans.__('Sent %1 to the data lake: %2', name, transfer.uri),
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
      Notification.error(
        download
          ? trans.__('%1 was not downloaded: %2', name, reason)
          : trans.__('%1 was not sent: %2', name, reason),
        { autoClose: false, actions: [...retry, show] }
      );
    }
  }

  private _downloaded(transfer: ITransfer, name: string): void {
    const trans = this._trans;
    const folder = `/${downloadedInto(transfer)}`;
    const skipped = transfer.files_skipped;
    Notification.success(
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
}
