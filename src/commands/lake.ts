/**
 * The data lake browser's commands: its context menu (schema/plugin.json puts them on
 * `.jp-DataLake-lakeRow`, so other extensions can add their own items beside them), the
 * entries that hand the rows to the lake operations' commands (commands/lakeOps.ts), and the
 * commands that open the panel. Each acts on the rows `ILakePanel.target()` names: the row
 * right-clicked, with the others selected if it is one of them.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  deleteIcon,
  downloadIcon,
  editIcon,
  homeIcon,
  linkIcon,
  pythonIcon
} from '@jupyterlab/ui-components';

import { ILakeActions } from '../components/actions';
import { lakeIcon } from '../components/lake/icon';
import { ILakeEntry } from '../logic/entries';
import { LakeBrowserModel } from '../models/lake';
import { CommandIDs, ILakePanel, LakeOpIDs } from '../tokens';

/** The class of the lake browser's rows, which carry `data-key`. */
export const LAKE_ROW_CLASS = 'jp-DataLake-lakeRow';

/**
 * Follows which lake row a command is about. JupyterLab keeps the last context-menu event for
 * `contextMenuHitTest` even after the menu has closed; a command run later from the keyboard
 * or the palette must not act on a row right-clicked minutes before. So a right-click counts
 * until the next key pressed or pointer pressed outside a menu.
 */
export class LakeTargets {
  constructor(app: JupyterFrontEnd, model: LakeBrowserModel) {
    this._app = app;
    this._model = model;
    document.addEventListener('contextmenu', this._onContextMenu, true);
    document.addEventListener('keydown', this._onOther, true);
    document.addEventListener('pointerdown', this._onOther, true);
  }

  /** The browser's model, whose folder and selection the targets are taken from. */
  get model(): LakeBrowserModel {
    return this._model;
  }

  /** The rows a command is about; see `ILakePanel.target`. */
  target(): ILakePanel.ITarget | null {
    const model = this._model;
    let row: HTMLElement | undefined;
    if (this._contextMenu) {
      row = this._app.contextMenuHitTest(node =>
        node.classList.contains(LAKE_ROW_CLASS)
      );
    } else {
      const focused = document.activeElement?.closest(`.${LAKE_ROW_CLASS}`);
      row = focused instanceof HTMLElement ? focused : undefined;
    }
    const key = row?.dataset.key;
    let keys: string[];
    if (key && !model.selection.has(key)) {
      keys = [key];
    } else if (model.selection.size > 0) {
      keys = [...model.selection];
    } else {
      return null;
    }
    return { area: model.area, keys, prefix: model.prefix };
  }

  /** The rows of `target()` as the browser loaded them. */
  entries(): ILakeEntry[] {
    const target = this.target();
    return target ? this._model.entriesOf(target.keys) : [];
  }

  dispose(): void {
    document.removeEventListener('contextmenu', this._onContextMenu, true);
    document.removeEventListener('keydown', this._onOther, true);
    document.removeEventListener('pointerdown', this._onOther, true);
  }

  private _onContextMenu = (): void => {
    this._contextMenu = true;
  };

  private _onOther = (event: Event): void => {
    const target = event.target;
    // Keys and clicks in the context menu itself pick its items.
    if (!(target instanceof Element && target.closest('.lm-Menu'))) {
      this._contextMenu = false;
    }
  };

  private _app: JupyterFrontEnd;
  private _model: LakeBrowserModel;
  private _contextMenu = false;
}

export interface ILakeCommandsOptions {
  app: JupyterFrontEnd;
  targets: LakeTargets;
  actions: ILakeActions;
  panel: ILakePanel;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
}

/** Register the lake browser's commands and the panel's, and add the latter to the palette. */
export function registerLakeCommands(options: ILakeCommandsOptions): void {
  const { app, targets, actions, panel, trans, palette } = options;
  const { commands } = app;
  const entries = () => targets.entries();
  const one = () => {
    const found = entries();
    return found.length === 1 ? found[0] : null;
  };
  const nameOf = (found: ILakeEntry[]) =>
    found.length === 1 ? found[0].name : trans.__('%1 items', found.length);

  commands.addCommand(CommandIDs.openLakePanel, {
    label: trans.__('Open Data Lake Panel'),
    icon: args => (args['isPalette'] ? undefined : lakeIcon),
    execute: () => panel.open()
  });
  commands.addCommand(CommandIDs.openLakeTab, {
    label: trans.__('Open Data Lake in a Tab'),
    icon: args => (args['isPalette'] ? undefined : lakeIcon),
    execute: () => panel.openInTab()
  });
  for (const command of [CommandIDs.openLakePanel, CommandIDs.openLakeTab]) {
    palette?.addItem({ command, category: trans.__('Data lake') });
  }

  commands.addCommand(CommandIDs.lakeOpen, {
    label: trans.__('Open'),
    // Folders open with Enter or a double-click in the listing itself.
    isVisible: () => one()?.kind === 'object',
    execute: () => {
      const entry = one();
      if (entry?.kind === 'object') {
        actions.open(entry);
      }
    }
  });
  commands.addCommand(CommandIDs.lakeDownloadHome, {
    label: () => trans.__('Download to Home'),
    icon: homeIcon,
    isEnabled: () => entries().length > 0,
    execute: () => {
      const found = entries();
      if (found.length > 0) {
        actions.downloadToHome(found);
      }
    }
  });
  commands.addCommand(CommandIDs.lakeDownloadComputer, {
    label: trans.__('Download to My Computer'),
    icon: downloadIcon,
    // A web browser saves one file a link; folders go into home.
    isVisible: () => one()?.kind === 'object',
    execute: () => {
      const entry = one();
      if (entry?.kind === 'object') {
        actions.downloadToComputer(entry);
      }
    }
  });
  /** A command on one row, object or folder alike. */
  const onOne = (
    id: string,
    label: string,
    icon: typeof linkIcon,
    run: (entry: ILakeEntry) => void
  ) =>
    commands.addCommand(id, {
      label,
      icon,
      isEnabled: () => one() !== null,
      execute: () => {
        const entry = one();
        if (entry) {
          run(entry);
        }
      }
    });
  onOne(CommandIDs.lakeCopyUri, trans.__('Copy s3a:// URI'), linkIcon, entry =>
    actions.copyUri(entry)
  );
  onOne(
    CommandIDs.lakeCopySnippet,
    trans.__('Copy Python Snippet'),
    pythonIcon,
    entry => actions.copySnippet(entry)
  );
  commands.addCommand(CommandIDs.lakeDelete, {
    label: () => {
      const found = entries();
      return found.length > 1
        ? trans.__('Delete %1', nameOf(found))
        : trans.__('Delete');
    },
    icon: deleteIcon,
    // The action itself says why the area or the object's owner rules it out.
    isEnabled: () => entries().length > 0,
    execute: () => {
      const found = entries();
      if (found.length > 0) {
        actions.delete(found);
      }
    }
  });

  /**
   * A menu entry for an operation of commands/lakeOps.ts: shown only where that command is
   * installed, and given the target in the arguments the command takes.
   */
  const operation = (
    id: string,
    op: string,
    label: string,
    args: (target: ILakePanel.ITarget) => Record<string, unknown> | null,
    icon?: typeof editIcon
  ) => {
    commands.addCommand(id, {
      label,
      icon,
      isVisible: () => {
        const target = targets.target();
        return commands.hasCommand(op) && target !== null && !!args(target);
      },
      execute: () => {
        const target = targets.target();
        const given = target && args(target);
        if (given && commands.hasCommand(op)) {
          return commands.execute(op, given as any);
        }
      }
    });
  };
  const single = (target: ILakePanel.ITarget) =>
    target.keys.length === 1
      ? { area: target.area, key: target.keys[0] }
      : null;
  const many = (target: ILakePanel.ITarget) => ({
    area: target.area,
    keys: target.keys
  });
  operation(
    CommandIDs.lakeMenuRename,
    LakeOpIDs.rename,
    trans.__('Rename…'),
    single,
    editIcon
  );
  operation(
    CommandIDs.lakeMenuCopy,
    LakeOpIDs.copy,
    trans.__('Copy to…'),
    many
  );
  operation(
    CommandIDs.lakeMenuMove,
    LakeOpIDs.move,
    trans.__('Move to…'),
    many
  );
  operation(
    CommandIDs.lakeMenuShareLink,
    LakeOpIDs.shareLink,
    trans.__('Copy Share Link'),
    target => {
      const given = single(target);
      return given && !given.key.endsWith('/') ? given : null;
    },
    linkIcon
  );
  operation(
    CommandIDs.lakeMenuTrinoTable,
    LakeOpIDs.trinoTable,
    trans.__('Copy Trino Table…'),
    target =>
      target.keys.length === 1 && target.keys[0].endsWith('/')
        ? { area: target.area, prefix: target.keys[0] }
        : null
  );
  // A new folder goes into the folder shown, whatever row was clicked.
  commands.addCommand(CommandIDs.lakeMenuNewFolder, {
    label: trans.__('New Folder…'),
    isVisible: () => commands.hasCommand(LakeOpIDs.newFolder),
    execute: () =>
      commands.hasCommand(LakeOpIDs.newFolder)
        ? commands.execute(LakeOpIDs.newFolder, {
            area: targets.model.area,
            prefix: targets.model.prefix
          })
        : undefined
  });
}
