/**
 * The `datalake:` drive in JupyterLab's contents service (models/lakeDrive.ts), so that lake
 * objects open in JupyterLab's own viewers as `datalake:<area>/<key inside the area>`.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { LakeDrive } from '../models/lakeDrive';
import { IDataLake } from '../tokens';

export const drivePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-datalake:drive',
  description:
    'The datalake: drive: lake objects open in JupyterLab and save back where the area allows.',
  autoStart: true,
  requires: [IDataLake],
  activate: (app: JupyterFrontEnd, dataLake: IDataLake): void => {
    app.serviceManager.contents.addDrive(
      new LakeDrive({
        api: dataLake.api,
        serverSettings: app.serviceManager.serverSettings
      })
    );
  }
};
