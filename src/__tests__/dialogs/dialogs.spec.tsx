import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { IArea, ITransferPlan } from '../../api/types';
import { DownloadDialog } from '../../dialogs/DownloadDialog';
import { SendDialog } from '../../dialogs/SendDialog';
import { DEFAULT_AREAS, FOUR_AREAS, RAW_REFUSED } from '../fixtures/areas';
import { show, settle, typeInto } from '../fixtures/render';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('SendDialog', () => {
  let widget: SendDialog;
  afterEach(() => React.act(() => widget?.dispose()));

  function plan(keys: string[], clashes: string[]): ITransferPlan {
    return {
      area: 'mine',
      prefix: '',
      bucket: 'datalake',
      items: keys.map(key => ({
        source: key,
        destination: key,
        bytes: 1,
        done: 0,
        state: 'queued',
        message: null,
        exists: clashes.includes(key)
      })),
      conflicts: clashes,
      bytes_total: keys.length,
      files_total: keys.length,
      destination: 'users/ada/',
      uri: 's3a://datalake/users/ada/'
    };
  }

  function open(
    planner: SendDialog.IOptions['plan'],
    areas: IArea[] = DEFAULT_AREAS
  ) {
    widget = new SendDialog({
      sources: ['data'],
      areas,
      plan: planner,
      trans
    });
    return show(widget);
  }

  const offered = () =>
    Array.from(
      widget.node.querySelectorAll<HTMLInputElement>(
        'input[name="jp-DataLake-area"]'
      ),
      input => [input.value, input.parentElement?.textContent, input.checked]
    );

  const type = (text: string) => typeInto(widget, text);

  it('previews the first keys, the clashes first, and asks what to do with them', async () => {
    const keys = Array.from(
      { length: 25 },
      (_, i) => `users/ada/data/${i}.csv`
    );
    await open(async () => plan(keys, ['users/ada/data/24.csv']));
    await settle();
    const text = widget.node.textContent ?? '';
    expect(text).toContain('and 5 more');
    // The size a transfer moves, named so, unlike the Storage panel's space on disk.
    expect(text).toContain('25 files, 25 B file size:');
    const shown = widget.node.querySelectorAll('.jp-DataLake-plan li');
    expect(shown).toHaveLength(20);
    expect(shown[0].textContent).toContain('users/ada/data/24.csv (exists)');
    expect(widget.getValue()).toEqual({
      area: 'mine',
      prefix: '',
      conflict: 'rename'
    });
    await React.act(() =>
      (
        widget.node.querySelector('input[value="overwrite"]') as HTMLElement
      ).click()
    );
    expect(widget.getValue().conflict).toBe('overwrite');
  });

  it('names what keeping both would call the new file, before it is picked', async () => {
    const rename = (renamed: Record<string, string>) => async () => {
      const planned = plan(Object.keys(renamed), Object.keys(renamed));
      planned.items.forEach(i => (i.renamed = renamed[i.destination]));
      return planned;
    };
    const label = () =>
      (widget.node.querySelector('input[value="rename"]') as HTMLElement)
        .parentElement?.textContent;
    await open(rename({ 'users/ada/report.csv': 'users/ada/report (2).csv' }));
    await settle();
    expect(label()).toBe('Keep both, the new one as report (2).csv');
    React.act(() => widget.dispose());
    // A folder is renamed as a whole; a file beside it on its own.
    await open(
      rename({
        'users/ada/run/a.txt': 'users/ada/run (1)/a.txt',
        'users/ada/run/b.txt': 'users/ada/run (1)/b.txt',
        'users/ada/notes.txt': 'users/ada/notes (1).txt'
      })
    );
    await settle();
    expect(label()).toBe('Keep both, the new ones as run (1) and 1 more');
  });

  it("starts with 'ask' when nothing clashes, and plans again once typing pauses", async () => {
    const asked: string[] = [];
    await open(async request => {
      asked.push(`${request.area}:${request.prefix}`);
      return plan(['users/ada/x/data.csv'], []);
    });
    await settle();
    expect(widget.getValue().conflict).toBe('ask');
    expect(widget.node.querySelector('input[value="overwrite"]')).toBe(null);

    await type('/x/');
    await type('/x/y/');
    await settle(400);
    expect(asked).toEqual(['mine:', 'mine:x/y']);
    expect(widget.getValue().prefix).toBe('x/y');
    expect(widget.node.textContent).toContain('s3a://datalake/users/ada/x/y/');

    await React.act(() =>
      (
        widget.node.querySelector('input[value="shared"]') as HTMLElement
      ).click()
    );
    await settle();
    expect(asked[asked.length - 1]).toBe('shared:x/y');
    expect(widget.getValue().area).toBe('shared');
  });

  it('offers only the areas the user may write to, and says why the others are missing', async () => {
    const asked: string[] = [];
    await open(async request => {
      asked.push(request.area);
      return plan([], []);
    }, FOUR_AREAS);
    await settle();
    expect(offered()).toEqual([
      ['mine', 'My area users/ada/', true],
      ['shared', 'Shared shared/', false],
      ['datasets', 'Datasets datasets/', false]
    ]);
    expect(widget.node.querySelector('input[value="raw"]')).toBe(null);
    expect(
      widget.node.querySelector('.jp-DataLake-notOffered')?.textContent
    ).toBe(`Raw (Hive/Trino) is not offered: ${RAW_REFUSED}`);
    expect(asked).toEqual(['mine']);

    await React.act(() =>
      (
        widget.node.querySelector('input[value="datasets"]') as HTMLElement
      ).click()
    );
    await settle();
    expect(widget.getValue().area).toBe('datasets');
    expect(widget.node.textContent).toContain('s3a://datalake/datasets/');
  });

  it('starts at the first writable area when the user may not write to their own', async () => {
    const [mine, ...others] = FOUR_AREAS;
    const areas = [
      {
        ...mine,
        write: { state: 'refused' as const, message: '' }
      },
      ...others
    ];
    await open(async () => plan([], []), areas);
    await settle();
    expect(widget.getValue().area).toBe('shared');
    expect(
      widget.node.querySelector('.jp-DataLake-notOffered')?.textContent
    ).toContain('My area is not offered: users/ada/ is read-only for you.');
  });

  it("shows the server's reason when a path cannot be sent", async () => {
    await open(() =>
      Promise.reject(new Error('data/link points outside your home.'))
    );
    await settle();
    expect(widget.node.textContent).toContain(
      'data/link points outside your home.'
    );
  });
});

describe('DownloadDialog', () => {
  let widget: DownloadDialog;
  afterEach(() => React.act(() => widget?.dispose()));

  function open(planner: DownloadDialog.IOptions['plan']) {
    widget = new DownloadDialog({
      plan: planner,
      trans,
      initial: { destination: '/work/' }
    });
    return show(widget);
  }

  it('starts from the file browser folder, and keeps both files on a clash unless told', async () => {
    const asked: string[] = [];
    await open(async destination => {
      asked.push(destination);
      return {
        area: 'shared',
        prefix: '',
        bucket: 'datalake',
        items: [
          {
            source: 'shared/a.csv',
            destination: 'work/a.csv',
            bytes: 1,
            done: 0,
            state: 'queued',
            message: null,
            exists: true
          }
        ],
        conflicts: ['work/a.csv'],
        bytes_total: 1,
        files_total: 1,
        destination: 'work/a.csv',
        uri: 's3a://datalake/shared/a.csv'
      };
    });
    await settle();
    expect(asked).toEqual(['work']);
    expect(widget.node.textContent).toContain('work/a.csv (exists)');
    expect(widget.getValue()).toEqual({
      destination: 'work',
      conflict: 'rename'
    });
    await React.act(() =>
      (widget.node.querySelector('input[value="skip"]') as HTMLElement).click()
    );
    expect(widget.getValue().conflict).toBe('skip');
  });

  it('shows why the server would refuse, before anything starts', async () => {
    await open(() =>
      Promise.reject(
        new Error(
          'Not enough room in your home: 2.0 GiB more than the 1.0 GiB left.'
        )
      )
    );
    await settle();
    expect(widget.node.textContent).toContain(
      'Not enough room in your home: 2.0 GiB more than the 1.0 GiB left.'
    );
    expect(widget.getValue().conflict).toBe('ask');
  });
});
