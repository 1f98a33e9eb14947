/**
 * Before a save, whether the document fits on its volume (asking when it does not); after a
 * save refused for lack of space, what happened and how to free space.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { quotaActions } from '../notifications/quota';
import { SaveGuard } from '../notifications/saveGuard';
import { IDataLake, IStoragePanel } from '../tokens';

export const saveGuardPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-datalake:save-guard',
  description:
    'Asks before a save that would not fit, and explains a save refused for lack of space.',
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
    new SaveGuard(
      dataLake.api,
      dataLake.usage,
      trans,
      quotaActions(panel)
    ).attach(app.docRegistry);
  }
};
