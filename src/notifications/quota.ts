/**
 * Tells the user when home fills up, once per upward crossing of a threshold, with the way to
 * free space: the buttons every storage notification offers are here too.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';

import { quotaMessage, ThresholdWatcher } from '../logic/quota';
import { UsageModel } from '../models/usage';
import { IStoragePanel } from '../tokens';

/** Where a storage notification can take the user. */
export interface IQuotaActions {
  openPanel: () => void;
  showLargestFiles: () => void;
}

/** The buttons every storage notification offers. */
export function storageButtons(
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
export class QuotaNotifier implements IDisposable {
  constructor(
    private readonly _usage: UsageModel,
    private readonly _trans: TranslationBundle,
    private readonly _actions: IQuotaActions
  ) {
    _usage.changed.connect(this._check, this);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (!this._disposed) {
      this._disposed = true;
      this._usage.changed.disconnect(this._check, this);
    }
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

  private _disposed = false;
  private _watcher = new ThresholdWatcher();
  private _last: unknown = null;
}

/** Where a storage notification takes the user: the panel, or its largest files. */
export function quotaActions(panel: IStoragePanel | null): IQuotaActions {
  return {
    openPanel: () => panel?.open(),
    showLargestFiles: () => panel?.show('largestFiles')
  };
}
