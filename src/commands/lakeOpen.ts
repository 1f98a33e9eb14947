/**
 * Opening a lake object in JupyterLab itself: the `datalake:` drive's path of the object goes
 * to the document manager, which picks the viewer or editor by the name (the CSV viewer, a
 * notebook, JSON, Markdown, an image). An object above the server's open limit is not fetched
 * whole: the user is offered the downloads instead (and the preview, where there is one).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ILakeActions } from '../components/actions';
import { drivePath, opensWhole } from '../logic/drivePaths';
import { ILakeEntry } from '../logic/entries';
import { formatBytes } from '../logic/format';
import { LakeBrowserModel } from '../models/lake';
import { StatusModel } from '../models/status';

/** JupyterLab's command that opens a path, or shows it where it is open already. */
const OPEN = 'docmanager:open';

export interface IOpenOptions {
  app: JupyterFrontEnd;
  model: LakeBrowserModel;
  status: StatusModel;
  trans: TranslationBundle;
  /** The downloads offered for an object too large to open. */
  lake: Pick<ILakeActions, 'downloadToHome' | 'downloadToComputer'>;
}

export function openFromLake(options: IOpenOptions, entry: ILakeEntry): void {
  const { app, model, status, trans, lake } = options;
  const area = model.current;
  const path = area && entry.kind === 'object' && drivePath(area, entry.key);
  if (!path) {
    return;
  }
  const limit = status.status?.open_limit;
  if (!opensWhole(entry.size, limit)) {
    Notification.info(
      trans.__(
        '%1 holds %2, more than JupyterLab opens whole (%3). Preview it, or download it.',
        entry.name,
        formatBytes(entry.size ?? 0),
        formatBytes(limit ?? 0)
      ),
      {
        autoClose: 10000,
        actions: [
          {
            label: trans.__('Download to home'),
            callback: () => lake.downloadToHome([entry])
          },
          {
            label: trans.__('Download to my computer'),
            callback: () => lake.downloadToComputer(entry)
          }
        ]
      }
    );
    return;
  }
  app.commands
    .execute(OPEN, { path })
    .catch((error: Error) =>
      Notification.error(
        trans.__('%1 could not be opened: %2', entry.name, error.message)
      )
    );
}
