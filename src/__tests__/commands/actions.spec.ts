/**
 * The data lake browser's Delete as the user meets it: JupyterLab's real dialog, its words per
 * area, where the focus starts and what Enter does; and the refusal of others' objects.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { DataLakeAPI } from '../../api/client';
import { IStatus } from '../../api/types';
import { lakeActions } from '../../commands/actions';
import { ILakeActions } from '../../components/actions';
import { LakeBrowserModel } from '../../models/lake';
import { StatusModel } from '../../models/status';
import { DEFAULT_AREAS } from '../fixtures/areas';
import { FakeLake, folder, object } from '../fixtures/lake';
import { settle } from '../fixtures/render';

const trans = nullTranslator.load('jupyterlab_datalake');

function statusOf(user: string): IStatus {
  return {
    version: '0.1.0',
    user,
    bucket: 'datalake',
    endpoint_host: 'rgw:7480',
    areas: DEFAULT_AREAS,
    connection: { state: 'ok', message: 'Connected', hint: '' },
    checked_at: 1,
    root: null
  };
}

describe('Delete in the data lake browser', () => {
  let lake: FakeLake;
  let model: LakeBrowserModel;
  let status: StatusModel;
  let actions: ILakeActions;

  beforeEach(async () => {
    lake = new FakeLake();
    lake.folders['users/ada/'] = [folder('runs'), object('results.csv')];
    lake.folders['shared/'] = [object('0.csv'), object('1.csv')];
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      infoDelay: 0
    });
    status = new StatusModel({
      api: { getStatus: async () => statusOf('ada') } as unknown as DataLakeAPI
    });
    await status.refresh();
    actions = lakeActions({
      app: {} as JupyterFrontEnd,
      model,
      status,
      trans,
      browsers: null,
      showTransfers: () => undefined
    });
    await model.refresh();
  });
  afterEach(() => {
    document.querySelectorAll('.jp-Dialog').forEach(node => node.remove());
    Notification.dismiss();
    model.dispose();
    status.dispose();
  });

  const entry = (key: string) => model.entries.find(e => e.key === key)!;
  const dialog = () => document.querySelector('.jp-Dialog') as HTMLElement;
  const body = () =>
    dialog().querySelector('.jp-Dialog-body')?.textContent ?? '';

  /** Press a key where the focus is, as the user does, and let the dialog close. */
  const press = (key: string) =>
    React.act(async () => {
      (document.activeElement ?? document.body).dispatchEvent(
        new KeyboardEvent('keydown', { key, bubbles: true })
      );
    });

  /** Start a delete and wait for its question; `done` settles once it is answered. */
  async function ask(keys: string[]): Promise<{ done: Promise<void> }> {
    const done = Promise.resolve(actions.delete(keys.map(entry)));
    await settle(10);
    return { done };
  }

  it('names the user’s own area and keeps Cancel the default, so Enter deletes nothing', async () => {
    const { done } = await ask(['users/ada/results.csv']);
    expect(body()).toBe(
      'Delete results.csv from My area (users/ada/)? This cannot be undone.'
    );
    expect(body()).not.toContain('everyone');
    const focused = document.activeElement as HTMLElement;
    expect(focused.textContent).toBe('Cancel');

    // Enter, pressed out of habit.
    await press('Enter');
    await done;
    expect(lake.api.deleteObjects).not.toHaveBeenCalled();
  });

  it('deletes once Delete itself is chosen', async () => {
    const { done } = await ask(['users/ada/results.csv']);
    const remove = Array.from(dialog().querySelectorAll('button')).find(
      button => button.textContent === 'Delete'
    )!;
    await React.act(async () => remove.click());
    await done;
    expect(lake.api.deleteObjects).toHaveBeenCalledWith('mine', [
      'users/ada/results.csv'
    ]);
  });

  it('says of a folder that everything in it goes', async () => {
    const { done } = await ask(['users/ada/runs/']);
    expect(body()).toBe(
      'Delete runs/ and everything in it from My area (users/ada/)? This cannot be undone.'
    );
    await press('Escape');
    await done;
  });

  it('says in a shared area that everyone loses it', async () => {
    await model.open('shared');
    model.want(model.entries);
    await settle();
    const { done } = await ask(['shared/0.csv']);
    expect(body()).toBe(
      'Delete 0.csv from Shared (shared/)? Everyone loses it; this cannot be undone.'
    );
    await press('Escape');
    await done;
    expect(lake.api.deleteObjects).not.toHaveBeenCalled();
  });

  it('refuses another user’s object in shared/ with whose it is, asking nothing', async () => {
    await model.open('shared');
    model.want(model.entries);
    await settle();
    await actions.delete([entry('shared/1.csv')]);
    expect(dialog()).toBeNull();
    expect(lake.api.deleteObjects).not.toHaveBeenCalled();
    expect(Notification.manager.notifications.map(n => n.message)).toContain(
      'Uploaded by bob; in Shared you can delete only what you uploaded'
    );
  });
});
