/**
 * The notifications that reach the user wherever they are in JupyterLab: home filling up, and
 * how each watched transfer ended. The notifiers are kept, and disposed when the plugin is
 * deactivated.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { DisposableSet } from '@lumino/disposable';

import { transferActions } from '../commands/actions';
import { QuotaNotifier, quotaActions } from '../notifications/quota';
import { TransferNotifier } from '../notifications/transfers';
import { IDataLake, IStoragePanel } from '../tokens';

/** The notifiers of the running application, for `deactivate`. */
let notifiers: DisposableSet | null = null;

export const notificationsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-datalake:notifications',
  description:
    'Notifications: home nearly full, and how each transfer ended, with what to do next.',
  autoStart: true,
  requires: [IDataLake],
  optional: [IStoragePanel, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    dataLake: IDataLake,
    panel: IStoragePanel | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_datalake');
    const actions = transferActions(app, dataLake.transfers, trans, () =>
      panel?.show('transfers')
    );
    notifiers?.dispose();
    notifiers = new DisposableSet();
    notifiers.add(
      new QuotaNotifier(dataLake.usage, trans, quotaActions(panel))
    );
    notifiers.add(new TransferNotifier(dataLake.transfers, trans, actions));
  },
  deactivate: () => {
    notifiers?.dispose();
    notifiers = null;
  }
};
