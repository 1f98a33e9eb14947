/**
 * The area a command names, for the commands that take `{area, …}` arguments.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { IArea } from '../api/types';
import { IDataLake } from '../tokens';

/**
 * The configured area with this id, or null after a notification that says there is none. The
 * status is asked for when none came yet: a command may run before any panel polled it.
 */
export async function areaOf(
  dataLake: IDataLake,
  id: unknown,
  trans: TranslationBundle
): Promise<IArea | null> {
  let areas = dataLake.status.status?.areas;
  if (!areas) {
    try {
      areas = (await dataLake.status.check()).areas;
    } catch (error) {
      Notification.error(
        trans.__(
          '%1: %2',
          trans.__('The data lake cannot be used'),
          (error as Error).message ?? String(error)
        )
      );
      return null;
    }
  }
  const area = areas?.find(a => a.id === id) ?? null;
  if (!area) {
    Notification.error(trans.__('There is no data lake area %1.', String(id)));
  }
  return area;
}
