/**
 * Working inside the lake: rename, copy, move, new folder and "Copy share link", as commands
 * that the lake panel's context menu and keys (F2) run with the entry they were asked on. Copies
 * and moves (a rename is a move) run on the server as transfers, listed with the others; the
 * lake browser refreshes when one ends. The server decides what the area rules allow and says
 * why not; these only ask the user and tell the outcome.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Clipboard,
  Dialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyJSONObject } from '@lumino/coreutils';

import { DataLakeAPIError, isConflict } from '../api/request';
import { ConflictPolicy, IArea, ICopyRequest, ITransfer } from '../api/types';
import { askThenStart } from '../dialogs/ask';
import { areaOf } from './areaOf';
import { NameDialog } from '../dialogs/NameDialog';
import { SendDialog } from '../dialogs/SendDialog';
import { ShareDialog, lifetimeText } from '../dialogs/ShareDialog';
import { IDataLake, LakeOpIDs } from '../tokens';

export interface ILakeOpsOptions {
  app: JupyterFrontEnd;
  dataLake: IDataLake;
  trans: TranslationBundle;
}

/** The name a key shows: its last part, without a folder's "/". */
export function keyName(key: string): string {
  const parts = key.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1];
}

/** The folder inside `area` that holds `key` ("" for the area's top). */
export function parentPrefix(area: IArea, key: string): string {
  const inside = key.startsWith(area.prefix)
    ? key.slice(area.prefix.length)
    : key;
  const parts = inside.replace(/\/+$/, '').split('/');
  return parts.slice(0, -1).join('/');
}

/** A folder asked for by a command: inside the area, or as a full key prefix. */
export function folderOf(area: IArea, prefix: string): string {
  const inside = prefix.startsWith(area.prefix)
    ? prefix.slice(area.prefix.length)
    : prefix;
  return inside.replace(/^\/+|\/+$/g, '');
}

/** Register the five commands; their arguments are documented in `describedBy`. */
export function registerLakeOps(options: ILakeOpsOptions): void {
  const { app, dataLake, trans } = options;
  const { api, transfers, lake } = dataLake;
  const failed = (what: string, error: unknown) =>
    Notification.error(
      trans.__('%1: %2', what, (error as Error).message ?? String(error))
    );

  // What a copy or move changed shows in the browser once it ends (a move empties its source).
  transfers.finished.connect((_, transfer) => {
    if (transfer.direction === 'copy' || transfer.direction === 'move') {
      void lake.refresh();
    }
  });

  /**
   * Start a copy or move; a move whose sources the user may not delete is offered as a copy
   * (the server says why, and plans the copy only when asked to).
   */
  const start = async (request: ICopyRequest): Promise<ITransfer> => {
    try {
      return await transfers.watch(await api.startCopy(request));
    } catch (error) {
      if (
        request.operation !== 'move' ||
        !(error instanceof DataLakeAPIError) ||
        error.status !== 403
      ) {
        throw error;
      }
      const asCopy = { ...request, undeletable: 'copy' as const };
      try {
        await api.planCopy(asCopy);
      } catch {
        throw error; // not about deleting: the destination refused, say so
      }
      const answer = await showDialog({
        title: trans.__('These cannot be moved'),
        body: error.message,
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Copy instead') })
        ]
      });
      if (!answer.button.accept) {
        throw new Error(trans.__('you chose not to copy them.'));
      }
      return await transfers.watch(await api.startCopy(asCopy));
    }
  };

  /** Ask what to do with destinations that exist; null when the user cancels. */
  const askClash = async (
    conflicts: string[]
  ): Promise<ConflictPolicy | null> => {
    const overwrite = Dialog.warnButton({ label: trans.__('Overwrite') });
    const keep = Dialog.okButton({ label: trans.__('Keep both') });
    const answer = await showDialog({
      title: trans.__('%1 exists already', keyName(conflicts[0])),
      body: trans._n(
        '%2 exists already there. Overwrite it, or keep both (the new one gets a new name)?',
        '%1 destinations exist already there, such as %2. Overwrite them, or keep both?',
        conflicts.length,
        conflicts[0]
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        overwrite,
        keep
      ],
      defaultButton: 2
    });
    if (!answer.button.accept) {
      return null;
    }
    return answer.button.label === overwrite.label ? 'overwrite' : 'rename';
  };

  const rename = async (area: IArea, key: string): Promise<void> => {
    const old = keyName(key);
    const folder = key.endsWith('/');
    let notice: string | undefined;
    let name = old;
    for (;;) {
      const answer = await showDialog({
        title: trans.__('Rename %1', old),
        body: new NameDialog({
          trans,
          label: trans.__('New name'),
          initial: { name },
          notice,
          selectStem: !folder
        }),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Rename') })
        ],
        focusNodeSelector: 'input[type="text"]'
      });
      if (!answer.button.accept || !answer.value || answer.value.name === old) {
        return;
      }
      name = answer.value.name;
      const request: ICopyRequest = {
        operation: 'move',
        area: area.id,
        keys: [key],
        destination_area: area.id,
        prefix: parentPrefix(area, key),
        name,
        conflict: 'ask'
      };
      try {
        const plan = await api.planCopy(request);
        if (plan.conflicts.length > 0) {
          const conflict = await askClash(plan.conflicts);
          if (conflict === null) {
            return;
          }
          request.conflict = conflict;
        }
        await start(request);
        return;
      } catch (error) {
        if (isConflict(error)) {
          notice = trans.__('%1 has appeared there since; choose again.', name);
          continue;
        }
        failed(trans.__('%1 was not renamed', old), error);
        return;
      }
    }
  };

  const copyOrMove = async (
    operation: 'copy' | 'move',
    area: IArea,
    keys: string[]
  ): Promise<void> => {
    const areas = dataLake.status.status?.areas ?? [];
    const first = keys.length === 1 ? keyName(keys[0]) : '';
    const title =
      operation === 'copy'
        ? trans._n('Copy %2 to…', 'Copy %1 items to…', keys.length, first)
        : trans._n('Move %2 to…', 'Move %1 items to…', keys.length, first);
    const what = (value: SendDialog.IValue): ICopyRequest => ({
      operation,
      area: area.id,
      keys,
      destination_area: value.area,
      prefix: value.prefix,
      conflict: value.conflict
    });
    await askThenStart<SendDialog.IValue>({
      title,
      accept: operation === 'copy' ? trans.__('Copy') : trans.__('Move'),
      body: (initial, notice) =>
        new SendDialog({
          sources: keys,
          areas,
          // A move whose sources cannot be deleted is planned as what it can be, a copy;
          // starting it then asks whether to copy instead.
          plan: request =>
            api.planCopy({
              ...what({
                area: request.area,
                prefix: request.prefix ?? '',
                conflict: 'ask'
              }),
              undeletable: 'copy'
            }),
          trans,
          initial: {
            area: area.id,
            prefix: parentPrefix(area, keys[0]),
            ...initial
          },
          notice
        }),
      start: value => start(what(value)),
      appeared: trans.__(
        'Something with the same name has appeared there since. Choose what to do with it, then try again.'
      ),
      failed: reason =>
        operation === 'copy'
          ? trans.__('Nothing was copied: %1', reason)
          : trans.__('Nothing was moved: %1', reason),
      trans
    });
  };

  const newFolder = async (area: IArea, prefix: string): Promise<void> => {
    const answer = await showDialog({
      title: trans.__('New folder in %1', area.title),
      body: new NameDialog({ trans, label: trans.__('Folder name') }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Create') })
      ],
      focusNodeSelector: 'input[type="text"]'
    });
    if (!answer.button.accept || !answer.value?.name) {
      return;
    }
    try {
      await api.createFolder(
        area.id,
        folderOf(area, prefix),
        answer.value.name
      );
    } catch (error) {
      failed(trans.__('The folder %1 was not made', answer.value.name), error);
      return;
    }
    await lake.refresh();
  };

  const share = async (area: IArea, key: string) => {
    const name = keyName(key);
    const answer = await showDialog({
      title: trans.__('Copy a share link to %1', name),
      body: new ShareDialog({ trans, name }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Copy link') })
      ]
    });
    if (!answer.button.accept || !answer.value) {
      return null;
    }
    try {
      const link = await api.shareLink(area.id, key, answer.value.lifetime);
      Clipboard.copyToSystem(link.url);
      const lasting = lifetimeText(answer.value.lifetime, trans);
      Notification.success(
        link.inside_cluster_only
          ? trans.__(
              'Copied a link to %1 for %2. It works only inside the cluster.',
              name,
              lasting
            )
          : trans.__('Copied a link to %1 for %2.', name, lasting),
        { autoClose: 4000 }
      );
      return link;
    } catch (error) {
      failed(trans.__('No link to %1', name), error);
      return null;
    }
  };

  const withArea = (id: unknown): Promise<IArea | null> =>
    areaOf(dataLake, id, trans);
  const keysOf = (args: { readonly [key: string]: unknown }): string[] =>
    Array.isArray(args['keys'])
      ? (args['keys'] as unknown[]).filter(
          (k): k is string => typeof k === 'string'
        )
      : [];
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : '';
  const schema = (properties: ReadonlyJSONObject, required: string[]) => ({
    args: { type: 'object', properties, required }
  });
  const AREA = { type: 'string', description: trans.__('The area id') };
  const KEY = { type: 'string', description: trans.__('The full key') };
  const KEYS = {
    type: 'array',
    items: { type: 'string' },
    description: trans.__('Full keys; folders end in "/"')
  };

  app.commands.addCommand(LakeOpIDs.rename, {
    label: trans.__('Rename…'),
    execute: async args => {
      const area = await withArea(args['area']);
      return area && text(args['key'])
        ? rename(area, text(args['key']))
        : undefined;
    },
    describedBy: schema({ area: AREA, key: KEY }, ['area', 'key'])
  });
  for (const [id, operation, label] of [
    [LakeOpIDs.copy, 'copy', trans.__('Copy to…')],
    [LakeOpIDs.move, 'move', trans.__('Move to…')]
  ] as const) {
    app.commands.addCommand(id, {
      label,
      isEnabled: args => keysOf(args).length > 0,
      execute: async args => {
        const area = await withArea(args['area']);
        return area ? copyOrMove(operation, area, keysOf(args)) : undefined;
      },
      describedBy: schema({ area: AREA, keys: KEYS }, ['area', 'keys'])
    });
  }
  app.commands.addCommand(LakeOpIDs.newFolder, {
    label: trans.__('New Folder…'),
    execute: async args => {
      const area = await withArea(args['area']);
      return area ? newFolder(area, text(args['prefix'])) : undefined;
    },
    describedBy: schema(
      {
        area: AREA,
        prefix: {
          type: 'string',
          description: trans.__('The folder inside the area to create it in')
        }
      },
      ['area']
    )
  });
  app.commands.addCommand(LakeOpIDs.shareLink, {
    label: trans.__('Copy Share Link…'),
    execute: async args => {
      const area = await withArea(args['area']);
      return area && text(args['key'])
        ? share(area, text(args['key']))
        : undefined;
    },
    describedBy: schema({ area: AREA, key: KEY }, ['area', 'key'])
  });
}
