import { Notification } from '@jupyterlab/apputils';

/** How long a passing word stays. */
const TRANSIENT_MS = 2500;

/**
 * A short word that goes away by itself, from the screen and from the notification centre:
 * for what needs no record, such as "Copied", which would otherwise pile up there.
 */
export function transient(message: string, ms = TRANSIENT_MS): string {
  const id = Notification.info(message, { autoClose: ms });
  window.setTimeout(() => Notification.dismiss(id), ms);
  return id;
}
