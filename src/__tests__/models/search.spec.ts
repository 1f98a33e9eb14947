import { nullTranslator } from '@jupyterlab/translation';

import { ISearchMatch, ISearchStep } from '../../api/types';
import { matchFolder, searchSummary } from '../../logic/search';
import { LakeSearch, SearchClient } from '../../models/search';

const trans = nullTranslator.load('jupyterlab_datalake');

function match(path: string): ISearchMatch {
  return {
    key: `shared/top/${path}`,
    name: path.replace(/\/$/, '').split('/').pop()!,
    path,
    folder: path.endsWith('/'),
    size: 1,
    last_modified: 0,
    etag: ''
  };
}

function step(
  paths: string[],
  searched: number,
  next: string | null,
  bounded = false
): ISearchStep {
  return {
    area: 'shared',
    prefix: 'top',
    key_prefix: 'shared/top/',
    query: 'q',
    matches: paths.map(match),
    searched,
    bound: 100000,
    bounded,
    next_cursor: next
  };
}

/** A client whose answers the test hands out one by one, and that records the cursors asked. */
function fakeClient() {
  const pending: ((step: ISearchStep) => void)[] = [];
  const cursors: (string | null)[] = [];
  const client: SearchClient = {
    searchObjects: (_area, _prefix, _text, cursor) => {
      cursors.push(cursor ?? null);
      return new Promise<ISearchStep>(resolve => pending.push(resolve));
    }
  };
  const answer = async (s: ISearchStep) => {
    pending.shift()!(s);
    await new Promise(resolve => setTimeout(resolve, 0));
  };
  return { client, cursors, answer };
}

describe('LakeSearch', () => {
  it('asks step after step with the cursor and keeps every match', async () => {
    const { client, cursors, answer } = fakeClient();
    const search = new LakeSearch(client);
    const done = search.start('shared', 'top', 'q');
    expect(search.running).toBe(true);
    await answer(step(['a/q1.csv'], 5000, 'c1'));
    expect(search.matches.map(m => m.path)).toEqual(['a/q1.csv']);
    expect(search.searched).toBe(5000);
    await answer(step(['b/q2.csv', 'q3/'], 7000, null));
    await done;
    expect(cursors).toEqual([null, 'c1']);
    expect(search.matches.map(m => m.path)).toEqual([
      'a/q1.csv',
      'b/q2.csv',
      'q3/'
    ]);
    expect(search.running).toBe(false);
    expect(search.bounded).toBeNull();
  });

  it('stops asking when stopped, and ignores the answer on its way', async () => {
    const { client, cursors, answer } = fakeClient();
    const search = new LakeSearch(client);
    const done = search.start('shared', 'top', 'q');
    await answer(step(['a'], 5000, 'c1'));
    search.stop();
    await answer(step(['late'], 10000, 'c2'));
    await done;
    expect(cursors).toEqual([null, 'c1']);
    expect(search.matches.map(m => m.path)).toEqual(['a']);
    expect(search.stopped).toBe(true);
    expect(search.running).toBe(false);
  });

  it('reports the bound the server stopped at', async () => {
    const { client, answer } = fakeClient();
    const search = new LakeSearch(client);
    const done = search.start('shared', 'top', 'q');
    await answer(step([], 100000, null, true));
    await done;
    expect(search.bounded).toBe(100000);
    expect(
      searchSummary(
        {
          text: 'q',
          found: 0,
          searched: 100000,
          running: false,
          stopped: false,
          bounded: 100000,
          error: null
        },
        trans
      )
    ).toBe('0 matches; searched 100,000 objects; refine the folder.');
  });

  it('says why it failed', async () => {
    const search = new LakeSearch({
      searchObjects: () => Promise.reject(new Error('S3 is down'))
    });
    await search.start('shared', 'top', 'q');
    expect(search.error).toBe('S3 is down');
    expect(search.running).toBe(false);
  });
});

describe('matchFolder', () => {
  it('opens an object in its folder and a folder itself', () => {
    expect(matchFolder('top', { path: 'a/b/x.csv', folder: false })).toBe(
      'top/a/b'
    );
    expect(matchFolder('top', { path: 'x.csv', folder: false })).toBe('top');
    expect(matchFolder('', { path: 'a/q3/', folder: true })).toBe('a/q3');
  });
});

describe('searchSummary', () => {
  const base = {
    text: 'q',
    found: 1,
    searched: 1234,
    running: false,
    stopped: false,
    bounded: null,
    error: null
  };
  it('says progress, the end and a stop', () => {
    expect(searchSummary({ ...base, running: true }, trans)).toBe(
      'Searching for “q”… 1 match so far, 1,234 objects searched'
    );
    expect(searchSummary(base, trans)).toBe(
      '1 match in 1,234 objects searched.'
    );
    expect(searchSummary({ ...base, stopped: true }, trans)).toBe(
      '1 match; stopped after 1,234 objects searched.'
    );
  });
});
