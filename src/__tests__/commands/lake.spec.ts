/**
 * The lake browser's context-menu commands as another extension meets them: which rows a
 * command is about (the row right-clicked, the selection, the focused row; never a row
 * right-clicked before a later key press), and the entries that hand those rows to the lake
 * operations' commands, shown only where those commands exist.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import {
  LAKE_ROW_CLASS,
  LakeTargets,
  registerLakeCommands
} from '../../commands/lake';
import { LakeBrowserModel } from '../../models/lake';
import { CommandIDs, LakeOpIDs } from '../../tokens';
import { FakeLake, folder, object, recordingActions } from '../fixtures/lake';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('the lake browser context menu', () => {
  let lake: FakeLake;
  let model: LakeBrowserModel;
  let commands: CommandRegistry;
  let targets: LakeTargets;
  let calls: string[];
  let nodes: Record<string, HTMLElement>;
  // The node JupyterLab's last context-menu event hit, as contextMenuHitTest walks it.
  let hit: HTMLElement | null;

  beforeEach(async () => {
    lake = new FakeLake();
    lake.folders['shared/'] = [
      folder('team'),
      object('a.csv'),
      object('b.csv')
    ];
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas
    });
    await model.open('shared');
    nodes = {};
    for (const entry of model.entries) {
      const node = document.createElement('div');
      node.className = LAKE_ROW_CLASS;
      node.dataset.key = entry.key;
      node.tabIndex = 0;
      document.body.appendChild(node);
      nodes[entry.key] = node;
    }
    hit = null;
    commands = new CommandRegistry();
    const app = {
      commands,
      contextMenuHitTest: (test: (node: HTMLElement) => boolean) =>
        hit && test(hit) ? hit : undefined
    } as unknown as JupyterFrontEnd;
    targets = new LakeTargets(app, model);
    calls = [];
    const actions = recordingActions(calls);
    registerLakeCommands({
      app,
      targets,
      actions,
      panel: {
        open: () => undefined,
        openInTab: () => undefined,
        target: () => targets.target()
      },
      trans,
      palette: null
    });
  });

  afterEach(() => {
    targets.dispose();
    model.dispose();
    document.body.innerHTML = '';
  });

  /** A right-click on a row, as the user makes it. */
  const rightClick = (key: string) => {
    hit = nodes[key];
    nodes[key].dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
  };

  it('acts on the row right-clicked, or on the selection it belongs to', async () => {
    model.select(['shared/a.csv', 'shared/b.csv']);
    rightClick('shared/team/');
    expect(targets.target()).toEqual({
      area: 'shared',
      keys: ['shared/team/'],
      prefix: ''
    });
    // A folder: its URI too, but no download to the computer, and no Open (Enter opens it).
    expect(commands.isVisible(CommandIDs.lakeDownloadComputer)).toBe(false);
    expect(commands.isVisible(CommandIDs.lakeOpen)).toBe(false);
    await commands.execute(CommandIDs.lakeCopyUri);

    rightClick('shared/b.csv');
    expect(commands.label(CommandIDs.lakeDelete)).toBe('Delete 2 items');
    await commands.execute(CommandIDs.lakeDelete);
    await commands.execute(CommandIDs.lakeDownloadHome);
    expect(calls).toEqual([
      'uri shared/team/',
      'delete shared/a.csv,shared/b.csv',
      'home shared/a.csv,shared/b.csv'
    ]);
  });

  it('opens the object right-clicked in JupyterLab', async () => {
    model.select(['shared/b.csv']);
    rightClick('shared/a.csv');
    expect(commands.isVisible(CommandIDs.lakeOpen)).toBe(true);
    await commands.execute(CommandIDs.lakeOpen);
    expect(calls).toEqual(['open shared/a.csv']);
  });

  it('forgets a right-click once a key is pressed, and takes the focused row', () => {
    rightClick('shared/a.csv');
    nodes['shared/b.csv'].focus();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'x' }));
    expect(targets.target()?.keys).toEqual(['shared/b.csv']);
  });

  it('shows the lake operations only where they are installed, and passes them the rows', async () => {
    rightClick('shared/a.csv');
    expect(commands.isVisible(CommandIDs.lakeMenuRename)).toBe(false);
    expect(commands.isVisible(CommandIDs.lakeMenuNewFolder)).toBe(false);
    const given: [string, unknown][] = [];
    for (const id of [
      LakeOpIDs.rename,
      LakeOpIDs.copy,
      LakeOpIDs.move,
      LakeOpIDs.newFolder,
      LakeOpIDs.shareLink
    ]) {
      commands.addCommand(id, {
        execute: args => {
          given.push([id, args]);
        }
      });
    }
    expect(commands.isVisible(CommandIDs.lakeMenuRename)).toBe(true);
    await commands.execute(CommandIDs.lakeMenuRename);
    await commands.execute(CommandIDs.lakeMenuShareLink);
    model.select(['shared/a.csv', 'shared/team/']);
    await commands.execute(CommandIDs.lakeMenuCopy);
    await commands.execute(CommandIDs.lakeMenuMove);
    await commands.execute(CommandIDs.lakeMenuNewFolder);
    // Renaming takes one row; a share link is for an object, not a folder.
    expect(commands.isVisible(CommandIDs.lakeMenuRename)).toBe(false);
    rightClick('shared/team/');
    expect(commands.isVisible(CommandIDs.lakeMenuShareLink)).toBe(false);
    expect(given).toEqual([
      [LakeOpIDs.rename, { area: 'shared', key: 'shared/a.csv' }],
      [LakeOpIDs.shareLink, { area: 'shared', key: 'shared/a.csv' }],
      [
        LakeOpIDs.copy,
        { area: 'shared', keys: ['shared/a.csv', 'shared/team/'] }
      ],
      [
        LakeOpIDs.move,
        { area: 'shared', keys: ['shared/a.csv', 'shared/team/'] }
      ],
      [LakeOpIDs.newFolder, { area: 'shared', prefix: '' }]
    ]);
  });
});
