/**
 * What a path of home is, as the largest-items lists name it: a notebook checkpoint (the copy
 * JupyterLab keeps in `.ipynb_checkpoints` at each save), something in the trash (where
 * JupyterLab's delete moves files, `.local/share/Trash`), another hidden path, or a plain one.
 * Hidden paths need the server's leave to be shown in the file browser; these say what they
 * are instead of a bare `.ipynb_checkpoints/x-checkpoint.ipynb`.
 */

export const TRASH = '.local/share/Trash';
const CHECKPOINTS = '.ipynb_checkpoints';

export type HomePathKind =
  /** A checkpoint file; `of` is the path of the file it is a copy of. */
  | { kind: 'checkpoint'; of: string }
  /** A `.ipynb_checkpoints` folder; `in` is the folder it sits in ("" at home's top). */
  | { kind: 'checkpoints'; in: string }
  /** The trash, or something in it; `name` is the trashed item's name, "" for the trash. */
  | { kind: 'trash'; name: string }
  | { kind: 'hidden' }
  | { kind: 'plain' };

/** Whether a path has a part the file browser hides: one starting with a dot. */
export function isHiddenPath(path: string): boolean {
  return path.split('/').some(part => part.startsWith('.'));
}

/** What a path relative to home is (see the module's comment). */
export function homePathKind(path: string): HomePathKind {
  const parts = path.split('/').filter(part => part !== '');
  const joined = parts.join('/');
  if (joined === TRASH || joined.startsWith(`${TRASH}/`)) {
    // files/<name>… is the item; info/<name>.trashinfo says where it came from.
    const [where, name = ''] = parts.slice(3);
    const item =
      where === 'info' ? name.replace(/\.trashinfo$/, '') : (name ?? '');
    return { kind: 'trash', name: item };
  }
  const at = parts.indexOf(CHECKPOINTS);
  if (at >= 0) {
    const folder = parts.slice(0, at).join('/');
    const rest = parts.slice(at + 1);
    if (rest.length !== 1) {
      return { kind: 'checkpoints', in: folder };
    }
    // FileCheckpoints names a checkpoint "<stem>-checkpoint<ext>".
    const original = rest[0].replace(/-checkpoint(\.[^.]*)?$/, '$1');
    return {
      kind: 'checkpoint',
      of: folder ? `${folder}/${original}` : original
    };
  }
  return isHiddenPath(joined) ? { kind: 'hidden' } : { kind: 'plain' };
}
