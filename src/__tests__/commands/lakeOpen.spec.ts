/**
 * Enter or a double-click on a lake object: JupyterLab opens it by its `datalake:` path, and
 * one above the server's open limit is offered for download instead of being fetched whole.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { DataLakeAPI } from '../../api/client';
import { IStatus } from '../../api/types';
import { openFromLake } from '../../commands/lakeOpen';
import { LakeBrowserModel } from '../../models/lake';
import { StatusModel } from '../../models/status';
import { DEFAULT_AREAS } from '../fixtures/areas';
import { FakeLake, folder, object } from '../fixtures/lake';

const trans = nullTranslator.load('jupyterlab_datalake');

const STATUS: IStatus = {
  version: '0.1.0',
  user: 'ada',
  bucket: 'datalake',
  endpoint_host: 'rgw:7480',
  areas: DEFAULT_AREAS,
  connection: { state: 'ok', message: 'Connected', hint: '' },
  checked_at: 1,
  root: null,
  open_limit: 1000
};

describe('Opening a lake object in JupyterLab', () => {
  let model: LakeBrowserModel;
  let status: StatusModel;
  let executed: { id: string; args: unknown }[];
  let downloads: string[];
  let open: (key: string) => void;

  beforeEach(async () => {
    const lake = new FakeLake();
    lake.folders['users/ada/'] = [
      folder('runs'),
      object('small.csv', 1000),
      object('big.csv', 1001)
    ];
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      infoDelay: 0
    });
    status = new StatusModel({
      api: { getStatus: async () => STATUS } as unknown as DataLakeAPI
    });
    await status.check();
    await model.refresh();
    executed = [];
    downloads = [];
    const app = {
      commands: {
        execute: async (id: string, args: unknown) => {
          executed.push({ id, args });
        }
      }
    } as unknown as JupyterFrontEnd;
    const options = {
      app,
      model,
      status,
      trans,
      lake: {
        downloadToHome: () => downloads.push('home'),
        downloadToComputer: () => downloads.push('computer')
      }
    };
    open = key =>
      openFromLake(
        options,
        model.entries.find(e => e.key === key)!
      );
  });
  afterEach(() => {
    Notification.dismiss();
    model.dispose();
    status.dispose();
  });

  it('opens an object by its area and its key inside the area', () => {
    open('users/ada/small.csv');
    expect(executed).toEqual([
      { id: 'docmanager:open', args: { path: 'datalake:mine/small.csv' } }
    ]);
  });

  it('offers the downloads for an object above the open limit, and opens nothing', () => {
    open('users/ada/big.csv');
    expect(executed).toEqual([]);
    const told = Notification.manager.notifications.find(n =>
      n.message.includes('more than JupyterLab opens whole')
    )!;
    expect(told.message).toContain('big.csv holds 1001 B');
    const labels = (told.options.actions ?? []).map(action => action.label);
    expect(labels).toEqual(['Download to home', 'Download to my computer']);
    told.options.actions![1].callback(new MouseEvent('click'));
    expect(downloads).toEqual(['computer']);
  });
});
