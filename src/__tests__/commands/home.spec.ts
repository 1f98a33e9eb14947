/**
 * "Show" on a hidden path of home (a checkpoint, a trashed file) and "Empty trash" as the user
 * meets them: the file browser shows hidden files when the server allows them, else the user is
 * told why and offered what works; the trash is counted in what the user trashed.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { IUsage } from '../../api/types';
import { homeActions } from '../../commands/home';
import { IHomeActions } from '../../components/actions';
import { AtRiskModel } from '../../models/atrisk';
import { UsageModel } from '../../models/usage';
import { settle } from '../fixtures/render';
import { usageReply } from '../fixtures/usage';

const trans = nullTranslator.load('jupyterlab_datalake');
const CHECKPOINT = 'notebooks/.ipynb_checkpoints/explore-checkpoint.ipynb';

describe('home actions', () => {
  let usage: UsageModel;
  let went: string[];
  let browser: { showHiddenFiles: boolean };
  let actions: IHomeActions;

  async function make(reply: IUsage): Promise<void> {
    usage = new UsageModel({
      api: { getUsage: async () => reply } as any,
      interval: 3600
    });
    await usage.rescan();
    went = [];
    browser = { showHiddenFiles: false };
    const app = {
      commands: {
        execute: async (id: string, args: { path: string }) => {
          if (id === 'filebrowser:go-to-path') {
            went.push(args.path);
          }
        }
      }
    } as unknown as JupyterFrontEnd;
    actions = homeActions({
      app,
      usage,
      atRisk: {} as AtRiskModel,
      trans,
      send: () => undefined,
      browsers: {
        tracker: { currentWidget: browser }
      } as unknown as IFileBrowserFactory
    });
  }

  afterEach(() => {
    document.querySelectorAll('.jp-Dialog').forEach(node => node.remove());
    Notification.dismiss();
    usage.dispose();
  });

  const lastNotification = () => {
    const all = Notification.manager.notifications;
    return all[0];
  };

  it('turns on hidden files to show a checkpoint where the server allows them', async () => {
    await make(usageReply({}, { hidden_shown: true }));
    actions.showInFileBrowser(CHECKPOINT);
    expect(browser.showHiddenFiles).toBe(true);
    expect(went).toEqual([`/${CHECKPOINT}`]);
  });

  it('says why a checkpoint cannot be shown, and offers its notebook', async () => {
    await make(usageReply({}, { hidden_shown: false }));
    actions.showInFileBrowser(CHECKPOINT);
    expect(went).toEqual([]);
    expect(browser.showHiddenFiles).toBe(false);
    const note = lastNotification();
    expect(note.message).toBe(
      'explore-checkpoint.ipynb is the notebook checkpoint of explore.ipynb, a hidden file: this server hides those (ContentsManager.allow_hidden).'
    );
    // A toast shows the first 140 characters only.
    expect(note.message.length).toBeLessThanOrEqual(140);
    const offered = note.options.actions![0];
    expect(offered.label).toBe('Show explore.ipynb');
    offered.callback(new MouseEvent('click'));
    expect(went).toEqual(['/notebooks/explore.ipynb']);
  });

  it('says a trashed file is in the trash, and offers to empty it', async () => {
    await make(usageReply({ items: 1 }, { hidden_shown: false }));
    actions.showInFileBrowser('.local/share/Trash/files/old.parquet');
    expect(went).toEqual([]);
    const note = lastNotification();
    expect(note.message).toContain('old.parquet is in the trash');
    expect(note.message.length).toBeLessThanOrEqual(140);
    expect(note.options.actions![0].label).toBe('Empty trash');
  });

  it('shows plain paths as before', async () => {
    await make(usageReply());
    actions.showInFileBrowser('data/sales.csv');
    expect(went).toEqual(['/data/sales.csv']);
    expect(browser.showHiddenFiles).toBe(false);
  });

  const dialogText = () =>
    document.querySelector('.jp-Dialog .jp-Dialog-body')?.textContent ?? '';

  async function askToEmpty(): Promise<string> {
    actions.emptyTrash();
    await settle(10);
    const text = dialogText();
    const cancel = Array.from(
      document.querySelectorAll('.jp-Dialog button')
    ).find(button => button.textContent === 'Cancel') as HTMLButtonElement;
    await React.act(async () => cancel.click());
    return text;
  }

  it('asks to delete the items trashed, not their .trashinfo sidecars', async () => {
    await make(usageReply({ files: 4, items: 2 }));
    expect(await askToEmpty()).toBe(
      'Delete 2 items (152 KiB on disk) from the trash for good? This cannot be undone.'
    );
  });

  it('asks without a count when the server gives none', async () => {
    await make(usageReply({ files: 4 }));
    expect(await askToEmpty()).toBe(
      'Delete everything in the trash (152 KiB on disk) for good? This cannot be undone.'
    );
  });
});
