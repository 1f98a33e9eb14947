/**
 * How the lake is named in JupyterLab's contents service: the `datalake:` drive, whose paths
 * are `datalake:<area id>/<key inside the area>`, as the lake panel's tabs name the areas.
 * A key of another area, or one only the listing knows (a folder), has no such path.
 */
import { IArea } from '../api/types';

/** The drive's name, and the prefix of its paths in JupyterLab. */
export const DRIVE_NAME = 'datalake';

/** The drive path of an object, or null where the key is not inside the area. */
export function drivePath(
  area: Pick<IArea, 'id' | 'prefix'>,
  key: string
): string | null {
  if (!key.startsWith(area.prefix) || key === area.prefix) {
    return null;
  }
  return `${DRIVE_NAME}:${area.id}/${key.slice(area.prefix.length)}`;
}

/** The area id and the key of a path of the drive (without the `datalake:` part). */
export function splitDrivePath(localPath: string): {
  area: string;
  inner: string;
} {
  const trimmed = localPath.replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  return slash < 0
    ? { area: trimmed, inner: '' }
    : { area: trimmed.slice(0, slash), inner: trimmed.slice(slash + 1) };
}

/**
 * Whether an object of `size` bytes opens whole: within the server's limit, or when the
 * server does not say one (an older server, which then refuses with its own message).
 */
export function opensWhole(
  size: number | null,
  limit: number | null | undefined
): boolean {
  return limit === null || limit === undefined || (size ?? 0) <= limit;
}
