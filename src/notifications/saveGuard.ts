import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import { DataLakeAPI } from '../api/client';
import { formatBytes } from '../logic/format';
import { diskFullMessage } from '../logic/quota';
import { UsageModel } from '../models/usage';
import { DocumentWatcher } from './documents';
import { IQuotaActions, storageButtons } from './quota';
import { guardSave } from './saveHook';

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
    guardSave(context, () => this._fits(context));
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
