/**
 * Warns when a notebook or Python script writes to a place lost at restart, on opening and
 * after each save, unless the "checkPathsOnSave" setting turns it off.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { PathWarnings } from '../notifications/pathWarnings';
import { IDataLake } from '../tokens';

/** Where to look for when the server has not said yet which places are lost at restart. */
const USUAL_PLACES = ['/tmp', '/var/tmp', '/dev/shm'];

export const pathWarningsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-datalake:path-warnings',
  description:
    'Warns when a notebook or script writes to a place that a restart deletes.',
  autoStart: true,
  requires: [IDataLake],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    dataLake: IDataLake,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_datalake');
    const { atRisk, usage } = dataLake;
    new PathWarnings(
      trans,
      () => {
        const risk = atRisk.atRisk;
        const home = risk?.home ?? usage.usage?.home;
        if (!home) {
          return null;
        }
        const locations = risk
          ? risk.locations.filter(l => !l.persistent).map(l => l.path)
          : USUAL_PLACES;
        return { home, locations };
      },
      () => dataLake.settings.checkPaths
    ).attach(app.docRegistry);
  }
};
