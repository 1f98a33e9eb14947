import { nullTranslator } from '@jupyterlab/translation';

import { DataLakeAPI } from '../../api/client';
import { ITransfer, ITransferItem, TransferState } from '../../api/types';
import {
  downloadedInto,
  trackTransfers,
  transferName,
  transferPercent
} from '../../logic/transfers';
import { TransfersModel } from '../../models/transfers';
import { transfer } from '../fixtures/transfers';

/** Feed lists one after the other; return the ids told as finished after each. */
function replay(...lists: ITransfer[][]): string[][] {
  let known = new Map<string, TransferState>();
  return lists.map(list => {
    const result = trackTransfers(known, list);
    known = result.known;
    return result.finished.map(t => t.id);
  });
}

describe('trackTransfers', () => {
  it('tells nothing about transfers already finished when first seen, as after a reload', () => {
    expect(
      replay([
        transfer('a', 'done'),
        transfer('b', 'failed'),
        transfer('c', 'cancelled')
      ])
    ).toEqual([[]]);
  });

  it('tells each end once, whatever the end', () => {
    expect(
      replay(
        [
          transfer('a', 'running'),
          transfer('b', 'queued'),
          transfer('c', 'running')
        ],
        [
          transfer('a', 'done'),
          transfer('b', 'running'),
          transfer('c', 'failed')
        ],
        [
          transfer('a', 'done'),
          transfer('b', 'cancelled'),
          transfer('c', 'failed')
        ],
        [
          transfer('a', 'done'),
          transfer('b', 'cancelled'),
          transfer('c', 'failed')
        ]
      )
    ).toEqual([[], ['a', 'c'], ['b'], []]);
  });

  it('tells a retried transfer again when it ends again', () => {
    expect(
      replay(
        [transfer('a', 'running')],
        [transfer('a', 'failed')],
        [transfer('a', 'queued')],
        [transfer('a', 'done')]
      )
    ).toEqual([[], ['a'], [], ['a']]);
  });

  it('tells nothing of a transfer first seen finished, started elsewhere', () => {
    expect(
      replay(
        [transfer('a', 'running')],
        [transfer('a', 'running'), transfer('b', 'done')]
      )
    ).toEqual([[], []]);
  });

  it('remembers an active transfer missing from a list that was asked for before it started', () => {
    const started = new Map<string, TransferState>([['new', 'queued']]);
    const stale = trackTransfers(started, []);
    expect(stale.known.get('new')).toBe('queued');
    const fresh = trackTransfers(stale.known, [transfer('new', 'done')]);
    expect(fresh.finished.map(t => t.id)).toEqual(['new']);
  });

  it('forgets finished transfers that were taken off the list', () => {
    const { known } = trackTransfers(
      new Map<string, TransferState>([['a', 'done']]),
      []
    );
    expect(known.size).toBe(0);
  });
});

describe('transferName and transferPercent', () => {
  const trans = nullTranslator.load('jupyterlab_datalake');

  it('names the first source by its base name, and counts the others', () => {
    expect(transferName({ sources: ['data/sales.csv'] }, trans)).toBe(
      'sales.csv'
    );
    expect(
      transferName({ sources: ['/tmp/run/out', 'b.txt', 'c.txt'] }, trans)
    ).toBe('out + 2 more');
  });

  it('measures by bytes, or by files when there are none', () => {
    expect(
      transferPercent(
        transfer('a', 'running', { bytes_done: 25, bytes_total: 100 })
      )
    ).toBe(25);
    expect(
      transferPercent(
        transfer('a', 'running', {
          bytes_total: 0,
          bytes_done: 0,
          files_total: 4,
          files_done: 1
        })
      )
    ).toBe(25);
    expect(
      transferPercent(transfer('a', 'done', { bytes_total: 0, files_total: 0 }))
    ).toBe(100);
  });
});

/** A server whose list of transfers the test sets, counting how often it is asked. */
class FakeAPI {
  lists = 0;
  list: ITransfer[] = [];
  listTransfers = async (): Promise<ITransfer[]> => {
    this.lists++;
    return this.list;
  };
  startTransfer = async (): Promise<ITransfer> => transfer('new', 'queued');
  /** The keys the lake has; what is asked about, one list of keys a request. */
  inLake = new Set<string>();
  asked: string[][] = [];
  objectsInfo = async (_: string, keys: string[]) => {
    this.asked.push(keys);
    return keys.map(key =>
      this.inLake.has(key) ? { key, size: 1 } : { key, missing: true }
    );
  };
  items: ITransferItem[] = [];
  getTransfer = async (id: string): Promise<ITransfer> =>
    transfer(id, 'done', { items: this.items });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

describe('TransfersModel', () => {
  let model: TransfersModel;
  let api: FakeAPI;
  let finished: ITransfer[];
  afterEach(() => model?.dispose());

  function makeModel(): TransfersModel {
    finished = [];
    model = new TransfersModel({
      api: api as unknown as DataLakeAPI,
      interval: 3600,
      activeInterval: 0.01
    });
    model.finished.connect((_, t) => finished.push(t));
    return model;
  }

  it('keeps polling with no view while a transfer runs, and tells its end once', async () => {
    api = new FakeAPI();
    api.list = [transfer('a', 'running')];
    makeModel();
    await model.start();
    await until(() => api.lists >= 3);
    expect(model.poll.frequency.interval).toBe(10);

    api.list = [transfer('a', 'done')];
    await until(() => finished.length > 0);
    expect(finished.map(t => [t.id, t.state])).toEqual([['a', 'done']]);
    // Nothing runs and nobody looks: the poll stands by.
    expect(model.poll.frequency.interval).toBe(3600 * 1000);
    const asked = api.lists;
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(api.lists).toBe(asked);
    expect(finished).toHaveLength(1);
  });

  it('loads once with no view, and tells nothing of what had finished before', async () => {
    api = new FakeAPI();
    api.list = [transfer('a', 'done'), transfer('b', 'failed')];
    makeModel();
    await model.start();
    await until(() => model.value !== null);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(api.lists).toBe(1);
    expect(finished).toEqual([]);
    expect(model.hasActive).toBe(false);
  });

  it('tells the end of a transfer it started even if it ended before the next list', async () => {
    api = new FakeAPI();
    makeModel();
    await model.start();
    await until(() => model.value !== null);
    api.list = [transfer('new', 'done')];
    await model.startTransfer({ sources: ['data/new.csv'], area: 'mine' });
    expect(finished.map(t => t.id)).toEqual(['new']);
  });
});

describe('TransfersModel.checkInLake', () => {
  it('asks the lake once about each finished upload, and again on request', async () => {
    const api = new FakeAPI();
    api.inLake = new Set(['users/ada/kept.csv', 'users/ada/run/b.txt']);
    api.items = [
      item('users/ada/run/', 'done'),
      item('users/ada/run/a.txt', 'done'),
      item('users/ada/run/b.txt', 'done'),
      item('', 'skipped')
    ];
    const model = new TransfersModel({
      api: api as unknown as DataLakeAPI,
      interval: 3600
    });
    const kept = transfer('kept', 'done');
    const gone = transfer('gone', 'done');
    const run = transfer('run', 'done', { destination: 'users/ada/run/' });
    const listed = [kept, gone, run, transfer('moving', 'running')];
    expect(await model.checkInLake(listed)).toBe(false);
    // The single files in one request; a folder by its files, the marker left out.
    expect(api.asked).toEqual([
      ['users/ada/kept.csv', 'users/ada/gone.csv'],
      ['users/ada/run/a.txt', 'users/ada/run/b.txt']
    ]);
    expect(listed.map(t => model.isGone(t.id))).toEqual([
      false,
      true,
      false, // one of its files is still there
      undefined
    ]);
    // Shown again: nothing asked again.
    await model.checkInLake(listed);
    expect(api.asked).toHaveLength(2);
    // A copy asks again: the lake was reseeded meanwhile.
    api.inLake.clear();
    expect(await model.checkInLake([kept], true)).toBe(false);
    expect(model.isGone('kept')).toBe(true);
    model.dispose();
  });
});

function item(destination: string, state: ITransferItem['state']) {
  return {
    source: destination,
    destination,
    bytes: 1,
    done: 1,
    state,
    message: null,
    exists: false
  };
}

describe('downloadedInto', () => {
  it('names the folder a download went into', () => {
    expect(
      downloadedInto({ sources: ['shared/a.csv'], destination: 'work/a.csv' })
    ).toBe('work');
    expect(
      downloadedInto({ sources: ['shared/raw/'], destination: 'raw (1)' })
    ).toBe('');
    expect(
      downloadedInto({
        sources: ['shared/a.csv', 'shared/b.csv'],
        destination: 'work'
      })
    ).toBe('work');
  });
});
