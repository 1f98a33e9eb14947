/**
 * The questions asked before acting: confirm what cannot be undone, ask where a transfer goes
 * and start it (asking again when something appeared at the destination meanwhile), and ask
 * what to do with a file of an upload whose name exists. Built on JupyterLab's dialogs, with
 * Cancel as the safe default.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { isConflict } from '../api/request';
import { AskClash } from '../models/uploadFiles';

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
    ],
    // Cancel has the focus, so that Enter, pressed out of habit, deletes nothing.
    defaultButton: 0
  });
  return answer.button.accept;
}

/**
 * Ask where a transfer goes, then start it. When something appeared at the destination
 * since the dialog planned it (a 409), the dialog is shown again, with the choice made and a
 * word on why. That it started, and then how it ended, the transfer notifier says, in one
 * notification.
 */
export async function askThenStart<T>(options: {
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
  trans: TranslationBundle;
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
      if (isConflict(error)) {
        notice = options.appeared;
        continue;
      }
      Notification.error(options.failed((error as Error).message));
    }
    return;
  }
}

/**
 * Ask what to do with a file of an upload whose name exists in the folder already; with more
 * files to come, offer to do the same for the others that clash.
 */
export function askClash(trans: TranslationBundle): AskClash {
  return async (name, remaining) => {
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
}
