import { Notification } from '@jupyterlab/apputils';
import { Context, TextModelFactory } from '@jupyterlab/docregistry';
import { ServiceManagerMock } from '@jupyterlab/services/lib/testutils';
import { nullTranslator } from '@jupyterlab/translation';

import {
  NOTIFICATION_CHARS,
  PathWarnings,
  pathWarning,
  shortenMiddle,
  shortenPath,
  tilde
} from '../../notifications/pathWarnings';

const trans = nullTranslator.load('jupyterlab_datalake');
const HOME = '/home/jovyan/work/projects/.demo/home';

describe('pathWarning', () => {
  const finding = (path: string, suggestion: string) => ({
    path,
    location: '/dev/shm',
    cell: 2,
    line: 4,
    suggestion
  });

  it('writes home as ~, the whole advice shown', () => {
    const text = pathWarning(
      trans,
      'analysis.ipynb',
      [finding('/dev/shm/features.parquet', `${HOME}/tmp/features.parquet`)],
      HOME
    );
    expect(text).toBe(
      'analysis.ipynb (cell 3, line 4) writes to /dev/shm/features.parquet, which a restart deletes. Use ~/tmp/features.parquet instead.'
    );
  });

  it('fits what a notification shows, with the advice and its file name', () => {
    const deep = 'experiments/2026-q4/feature-engineering/run-0042';
    const text = pathWarning(
      trans,
      'a-notebook-with-a-rather-long-descriptive-name.ipynb',
      [
        finding(
          `/dev/shm/${deep}/features_full.parquet`,
          `${HOME}/tmp/${deep}/features_full.parquet`
        ),
        finding('/tmp/x', `${HOME}/tmp/x`)
      ],
      HOME
    );
    expect(text.length).toBeLessThanOrEqual(NOTIFICATION_CHARS);
    expect(text).toBe(
      'a-noteboo…scriptive-name.ipynb (cell 3, line 4): /dev/s…_full.parquet is lost at restart. Use ~/tmp/exp…/features_full.parquet. (and 1 more)'
    );
  });

  it('shortens in the middle, and knows home only as a whole folder', () => {
    expect(shortenMiddle('/dev/shm/abcdefghij/out.csv', 16)).toBe(
      '/dev/…ij/out.csv'
    );
    expect(shortenPath('/dev/shm/abcdefghij/out.csv', 18)).toBe(
      '/dev/shm/…/out.csv'
    );
    expect(shortenMiddle('short', 16)).toBe('short');
    expect(tilde(`${HOME}/tmp/a`, HOME)).toBe('~/tmp/a');
    expect(tilde(`file://${HOME}/tmp/a`, HOME)).toBe('file://~/tmp/a');
    expect(tilde(`${HOME}2/tmp/a`, HOME)).toBe(`${HOME}2/tmp/a`);
  });
});

describe('PathWarnings on a real document context', () => {
  afterEach(() => jest.restoreAllMocks());

  it('warns about a line once, and again only once it changes', async () => {
    const warned = jest.spyOn(Notification, 'warning').mockReturnValue('id');
    const manager = new ServiceManagerMock();
    await manager.ready;
    const watcher = new PathWarnings(
      trans,
      () => ({ home: '/home/ada', locations: ['/dev/shm'] }),
      () => true
    );
    const open = async (text: string) => {
      const context = new Context({
        manager,
        factory: new TextModelFactory(),
        path: 'job.py'
      });
      context.model.fromString(text);
      watcher.createNew(null, context);
      await context.initialize(true);
      await context.ready;
      return context;
    };
    const messages = () => warned.mock.calls.map(call => call[0]);

    const context = await open("open('/dev/shm/out.csv', 'w')\n");
    expect(messages()).toEqual([
      'job.py (line 1) writes to /dev/shm/out.csv, which a restart deletes. Use ~/tmp/out.csv instead.'
    ]);
    // Saved again, with a line added above: the same line, no new warning.
    context.model.fromString("import os\nopen('/dev/shm/out.csv', 'w')\n");
    await context.save();
    // Closed and opened again: neither.
    context.dispose();
    const again = await open("import os\nopen('/dev/shm/out.csv', 'w')\n");
    expect(messages()).toHaveLength(1);
    // The line changed: a warning about it.
    again.model.fromString("import os\nopen('/dev/shm/out2.csv', 'w')\n");
    await again.save();
    expect(messages()).toHaveLength(2);
    expect(messages()[1]).toContain('(line 2) writes to /dev/shm/out2.csv');
    again.dispose();
  });
});
