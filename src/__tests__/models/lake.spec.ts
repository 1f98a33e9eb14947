import { Signal } from '@lumino/signaling';

import { DataLakeAPIError } from '../../api/request';
import { ITransfer } from '../../api/types';
import {
  filterEntries,
  ILakeEntry,
  nameParts,
  SortKey,
  sortEntries
} from '../../logic/entries';
import { folderTrail } from '../../logic/keys';
import { LakeBrowserModel } from '../../models/lake';
import { BrowserUploader, partRanges } from '../../models/uploads';
import { area, DEFAULT_AREAS, FOUR_AREAS } from '../fixtures/areas';
import { FakeLake, folder, object, upload } from '../fixtures/lake';

/** Let promises and zero-delay timers run. */
function settle(ms = 0): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** jsdom's Blob has no text(). */
function read(blob: Blob): Promise<string> {
  return new Promise(resolve => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });
}

const names = (entries: readonly ILakeEntry[]) => entries.map(e => e.name);

describe('nameParts', () => {
  it('keeps the extension and a few characters before it whole, for a middle ellipsis', () => {
    expect(nameParts('features_full.parquet')).toEqual([
      'features_',
      'full.parquet'
    ]);
    expect(nameParts('datalake-demo')).toEqual(['datalak', 'e-demo']);
    // Short names are not cut at all.
    expect(nameParts('a.csv')).toEqual(['a.csv', '']);
  });
});

describe('sortEntries', () => {
  const entries = [
    object('run-10.csv', 5, 300),
    folder('beta'),
    object('Run-2.csv', 50, 100),
    object('a.txt', 5, 200),
    folder('Alpha')
  ];

  const sorted = (key: SortKey, descending: boolean) =>
    names(sortEntries(entries, { key, descending }));

  it('sorts by name as people read it, folders first', () => {
    expect(sorted('name', false)).toEqual([
      'Alpha',
      'beta',
      'a.txt',
      'Run-2.csv',
      'run-10.csv'
    ]);
    expect(sorted('name', true)).toEqual([
      'beta',
      'Alpha',
      'run-10.csv',
      'Run-2.csv',
      'a.txt'
    ]);
  });

  it('sorts objects by size or date, ties by name, and keeps folders first by name', () => {
    expect(sorted('size', true)).toEqual([
      'Alpha',
      'beta',
      'Run-2.csv',
      'a.txt',
      'run-10.csv'
    ]);
    expect(sorted('modified', false)).toEqual([
      'Alpha',
      'beta',
      'Run-2.csv',
      'a.txt',
      'run-10.csv'
    ]);
  });

  it('leaves the rows it is given alone', () => {
    const before = names(entries);
    sortEntries(entries, { key: 'size', descending: false });
    expect(names(entries)).toEqual(before);
  });
});

describe('filterEntries', () => {
  const entries = [
    folder('Sales'),
    object('sales-2024.csv'),
    object('costs.csv')
  ];

  it('keeps the names that contain the text, whatever its case', () => {
    expect(names(filterEntries(entries, '  SALES '))).toEqual([
      'Sales',
      'sales-2024.csv'
    ]);
    expect(filterEntries(entries, 'nothing')).toEqual([]);
  });

  it('keeps everything for no text', () => {
    expect(filterEntries(entries, ' ')).toBe(entries);
  });
});

describe('folderTrail', () => {
  it('names every folder from the top with the prefix that opens it', () => {
    expect(folderTrail('/a//b/c/')).toEqual([
      { name: 'a', prefix: 'a' },
      { name: 'b', prefix: 'a/b' },
      { name: 'c', prefix: 'a/b/c' }
    ]);
    expect(folderTrail('')).toEqual([]);
  });
});

describe('partRanges', () => {
  it('cuts a file in parts of the size given, the last one shorter', () => {
    expect(partRanges(10, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10]
    ]);
    expect(partRanges(8, 4)).toEqual([
      [0, 4],
      [4, 8]
    ]);
    expect(partRanges(3, 4)).toEqual([[0, 3]]);
  });

  it('sends no part for an empty file', () => {
    expect(partRanges(0, 4)).toEqual([]);
  });

  it('refuses a part size that would never end', () => {
    expect(() => partRanges(10, 0)).toThrow();
  });
});

describe('BrowserUploader', () => {
  function client(failPart?: number, error?: Error) {
    const parts: [string, number, string][] = [];
    const calls: string[] = [];
    const api = {
      uploadPart: jest.fn(async (id: string, n: number, part: Blob) => {
        if (n === failPart) {
          throw error;
        }
        parts.push([id, n, await read(part)]);
        return {} as ITransfer;
      }),
      completeUpload: jest.fn(async (id: string) => {
        calls.push(`complete ${id}`);
        return {} as ITransfer;
      }),
      deleteTransfer: jest.fn(async (id: string) => {
        calls.push(`delete ${id}`);
      })
    };
    return { api, parts, calls };
  }

  it('sends the parts in order, each of the part size but the last, then completes', async () => {
    const { api, parts, calls } = client();
    const outcome = await new BrowserUploader(api).send(
      upload('u1', 4),
      new Blob(['abcdefghij'])
    );
    expect(outcome).toBe('done');
    expect(parts).toEqual([
      ['u1', 1, 'abcd'],
      ['u1', 2, 'efgh'],
      ['u1', 3, 'ij']
    ]);
    expect(calls).toEqual(['complete u1']);
  });

  it('completes an empty file without parts', async () => {
    const { api, parts, calls } = client();
    await new BrowserUploader(api).send(upload('u1', 4), new Blob([]));
    expect(parts).toEqual([]);
    expect(calls).toEqual(['complete u1']);
  });

  it('stops quietly when the upload was cancelled meanwhile', async () => {
    const { api, calls } = client(
      2,
      new DataLakeAPIError(
        'The upload is cancelled; it takes no more parts.',
        409
      )
    );
    const outcome = await new BrowserUploader(api).send(
      upload('u1', 4),
      new Blob(['abcdefghij'])
    );
    expect(outcome).toBe('stopped');
    expect(calls).toEqual([]);
  });

  it('cancels the upload on the server when a part fails otherwise', async () => {
    const { api, calls } = client(1, new DataLakeAPIError('Network down', 0));
    await expect(
      new BrowserUploader(api).send(upload('u1', 4), new Blob(['abc']))
    ).rejects.toThrow('Network down');
    expect(calls).toEqual(['delete u1']);
  });

  it('sends nothing for a file the server skipped', async () => {
    const { api, calls } = client();
    const outcome = await new BrowserUploader(api).send(
      upload('u1', null),
      new Blob(['abc'])
    );
    expect(outcome).toBe('skipped');
    expect(api.uploadPart).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });
});

describe('LakeBrowserModel', () => {
  let lake: FakeLake;
  let model: LakeBrowserModel;

  beforeEach(() => {
    lake = new FakeLake();
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 2,
      // Pages one at a time, by hand, unless a test loads the whole level.
      levelLimit: 2,
      infoDelay: 0,
      refreshDelay: 0
    });
  });

  it('loads a whole folder level page after page, up to the limit, and says whether it is whole', async () => {
    const five = ['1', '2', '3', '4', '5'].map(n =>
      object(`${n}.csv`, Number(n))
    );
    lake.folders['users/ada/'] = five;
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 2,
      levelLimit: 10
    });
    await model.open('mine');
    expect(names(model.entries)).toEqual([
      '1.csv',
      '2.csv',
      '3.csv',
      '4.csv',
      '5.csv'
    ]);
    expect(model.isComplete).toBe(true);
    // Sorting by size now finds the largest object, which was on the last page.
    expect(
      sortEntries(model.entries, { key: 'size', descending: true })[0].name
    ).toBe('5.csv');

    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 2,
      levelLimit: 3
    });
    await model.open('mine');
    // Beyond the limit: whole pages up to it, and the rest on demand.
    expect(model.entries).toHaveLength(4);
    expect(model.isComplete).toBe(false);
    expect(model.nextCursor).not.toBe(null);
  });

  it('keeps a selection of keys in the folder shown, and clears it in another folder', async () => {
    lake.folders['users/ada/'] = [folder('f'), object('1.csv')];
    await model.open('mine');
    model.select(['users/ada/1.csv', 'users/ada/f/', 'users/ada/gone.csv']);
    expect(names(model.entriesOf(model.selection))).toEqual(['1.csv', 'f']);
    await model.open('mine', 'f');
    expect(model.selection.size).toBe(0);
  });
  afterEach(() => model.dispose());

  it('never shows the rows of a folder left while its page was in flight', async () => {
    lake.folders['shared/a/'] = [object('from-a.csv')];
    lake.folders['shared/b/'] = [object('from-b.csv')];
    const slowA = lake.hold('shared/a/');
    const openA = model.open('shared', 'a');
    const openB = model.open('shared', 'b');
    await openB;
    expect(names(model.entries)).toEqual(['from-b.csv']);
    slowA.release();
    await openA;
    expect(model.prefix).toBe('b');
    expect(names(model.entries)).toEqual(['from-b.csv']);
    expect(model.isLoading).toBe(false);
  });

  it('drops a next page that arrives after another folder was opened', async () => {
    lake.folders['users/ada/a/'] = ['1', '2', '3'].map(n => object(`${n}.csv`));
    lake.folders['users/ada/b/'] = [object('b.csv')];
    await model.open('mine', 'a');
    expect(model.nextCursor).not.toBe(null);
    const slow = lake.hold('users/ada/a/');
    const more = model.loadMore();
    await model.open('mine', 'b');
    slow.release();
    await more;
    expect(names(model.entries)).toEqual(['b.csv']);
  });

  it('appends pages, and lists again as far as it had loaded', async () => {
    lake.folders['users/ada/'] = [
      folder('f'),
      ...['1', '2', '3', '4'].map(n => object(`${n}.csv`))
    ];
    await model.open('mine');
    await model.loadMore();
    const changes: number[] = [];
    model.changed.connect(() => changes.push(model.entries.length));
    expect(names(model.entries)).toEqual(['f', '1.csv', '2.csv', '3.csv']);
    lake.folders['users/ada/'].splice(1, 0, object('0.csv'));
    await model.refresh();
    expect(names(model.entries)).toEqual(['f', '0.csv', '1.csv', '2.csv']);
    expect(model.nextCursor).not.toBe(null);
    // The rows stay shown while the new ones load.
    expect(changes).not.toContain(0);
  });

  it('goes up a folder at a time', async () => {
    await model.open('mine', '/x/y/');
    expect(model.prefix).toBe('x/y');
    await model.up();
    expect(model.prefix).toBe('x');
    await model.up();
    await model.up();
    expect(model.prefix).toBe('');
  });

  it("keeps the server's message, and retries what failed", async () => {
    lake.failNext = new DataLakeAPIError(
      'The data lake cannot be reached. Try again later.',
      503
    );
    await model.open('shared');
    expect(model.error?.message).toBe(
      'The data lake cannot be reached. Try again later.'
    );
    expect(model.hasLoaded).toBe(false);
    await model.retry();
    expect(model.error).toBe(null);
    expect(model.hasLoaded).toBe(true);
  });

  it('asks who may delete what only where users delete their own uploads, in batches, and trusts no guess', async () => {
    const objects = Array.from({ length: 250 }, (_, i) => object(`${i}.csv`));
    lake.folders['shared/'] = objects;
    lake.folders['users/ada/'] = objects;
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      infoDelay: 0
    });
    await model.open('mine');
    model.want(model.entries);
    await settle();
    expect(lake.api.objectsInfo).not.toHaveBeenCalled();
    expect(model.canDelete(model.entries[0])).toBe(true);

    await model.open('shared');
    const [first] = model.entries;
    expect(model.canDelete(first)).toBe(null);
    model.want(model.entries);
    model.want(model.entries);
    await settle();
    expect(
      lake.api.objectsInfo.mock.calls.map(([, keys]) => keys.length)
    ).toEqual([200, 50]);
    expect(model.canDelete(first)).toBe(true);
    expect(model.canDelete(model.entries[1])).toBe(false);
    expect(model.info(first)?.uploader).toBe('ada');

    // An object written again may be somebody else's now.
    const rewritten = { ...first, etag: 'new' };
    expect(model.canDelete(rewritten)).toBe(null);
    model.want([rewritten]);
    await settle();
    expect(lake.api.objectsInfo).toHaveBeenCalledTimes(3);
  });

  it('starts at the first area the user may read, and never lists a refused one', async () => {
    const refused = area('team', 'team/', {
      read: 'refused',
      readMessage: 'Your data lake account may not list team/.'
    });
    lake.areas = [refused, ...DEFAULT_AREAS];
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas
    });
    expect(model.area).toBe('mine');
    await model.open('team');
    expect(model.canRead).toBe(false);
    expect(model.current?.read.message).toBe(
      'Your data lake account may not list team/.'
    );
    expect(lake.api.listObjects).not.toHaveBeenCalled();
    expect(model.isLoading).toBe(false);
  });

  it('follows a new list of areas: away from one gone, and lists one that became readable', async () => {
    lake.areas = FOUR_AREAS;
    model.setAreas(FOUR_AREAS);
    lake.folders['raw/'] = [object('events.parquet')];
    await model.open('raw');
    expect(names(model.entries)).toEqual(['events.parquet']);

    // The admin dropped raw/ from the configuration: the browser shows the first area.
    lake.areas = DEFAULT_AREAS;
    model.setAreas(DEFAULT_AREAS);
    await settle();
    expect(model.area).toBe('mine');

    const locked = DEFAULT_AREAS.map(a =>
      a.id === 'shared'
        ? { ...a, read: { state: 'refused' as const, message: 'no' } }
        : a
    );
    model.setAreas(locked);
    await model.open('shared');
    expect(model.hasLoaded).toBe(false);
    lake.folders['shared/'] = [object('team.csv')];
    model.setAreas(DEFAULT_AREAS);
    await settle();
    expect(names(model.entries)).toEqual(['team.csv']);
  });

  it('offers no Delete in an area whose rule is none, and asks nobody about it', async () => {
    lake.areas = FOUR_AREAS;
    model.setAreas(FOUR_AREAS);
    lake.folders['raw/'] = [folder('2024'), object('0.csv')];
    await model.open('raw');
    model.want(model.entries);
    await settle();
    expect(lake.api.objectsInfo).not.toHaveBeenCalled();
    expect(model.entries.map(e => model.canDelete(e))).toEqual([false, false]);
  });

  it('asks what to do on a clash, and can do the same for the next files', async () => {
    lake.existing.add('users/ada/a.csv');
    lake.existing.add('users/ada/b.csv');
    lake.existing.add('users/ada/c.csv');
    await model.open('mine');
    const asked: string[] = [];
    const report = await model.upload(
      ['a.csv', 'b.csv', 'c.csv', 'd.csv'].map(n => new File(['xyz'], n)),
      async name => {
        asked.push(name);
        return name === 'a.csv'
          ? { conflict: 'rename', always: false }
          : { conflict: 'skip', always: true };
      }
    );
    expect(asked).toEqual(['a.csv', 'b.csv']);
    expect(report).toEqual({
      done: ['a.csv', 'd.csv'],
      skipped: ['b.csv', 'c.csv'],
      stopped: [],
      failed: []
    });
    expect(lake.opened).toEqual([
      'a.csv:ask',
      'a.csv:rename',
      'b.csv:ask',
      'c.csv:ask',
      'd.csv:ask'
    ]);
    expect(lake.transfers.watch).toHaveBeenCalledTimes(2);
  });

  it('tells which files failed, and goes on with the others', async () => {
    lake.refuse.set(
      'big.bin',
      new DataLakeAPIError('The bucket refused it: quota exceeded.', 403)
    );
    await model.open('mine', 'in');
    const report = await model.upload(
      [new File(['1'], 'big.bin'), new File(['2'], 'ok.csv')],
      async () => ({ conflict: 'skip', always: false })
    );
    expect(report.failed).toEqual([
      { name: 'big.bin', message: 'The bucket refused it: quota exceeded.' }
    ]);
    expect(report.done).toEqual(['ok.csv']);
    expect(lake.uploadedTo).toEqual(['mine:in/ok.csv']);
  });

  it('lists again when a transfer wrote into the folder shown', async () => {
    await model.open('mine');
    const before = lake.api.listObjects.mock.calls.length;
    (lake.transfers.finished as Signal<unknown, ITransfer>).emit({
      direction: 'upload',
      state: 'done',
      area: 'mine',
      destination: 'users/ada/new.csv'
    } as ITransfer);
    await settle(10);
    expect(lake.api.listObjects.mock.calls.length).toBe(before + 1);
  });
});
