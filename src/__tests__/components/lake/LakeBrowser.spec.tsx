import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { DataLakeAPIError } from '../../../api/request';
import { LakeBrowser } from '../../../components/lake/LakeBrowser';
import { ROW_HEIGHT } from '../../../components/lake/LakeRow';
import { LakeBrowserModel } from '../../../models/lake';
import {
  area,
  DEFAULT_AREAS,
  FOUR_AREAS,
  RAW_REFUSED
} from '../../fixtures/areas';
import {
  FakeLake,
  folder,
  object,
  recordingActions
} from '../../fixtures/lake';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const trans = nullTranslator.load('jupyterlab_datalake');

/** Do something, and let the requests it makes be answered, all inside act(). */
async function act(what: () => void, ms = 0): Promise<void> {
  await React.act(async () => {
    what();
    await new Promise(resolve => setTimeout(resolve, ms));
  });
}

function settle(ms = 0): Promise<void> {
  return act(() => undefined, ms);
}

describe('LakeBrowser', () => {
  let lake: FakeLake;
  let model: LakeBrowserModel;
  let widget: Widget;
  let calls: string[];

  beforeEach(() => {
    lake = new FakeLake();
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 10000,
      infoDelay: 0
    });
    calls = [];
  });
  afterEach(async () => {
    await act(() => widget?.dispose());
    model.dispose();
  });

  async function render(): Promise<void> {
    const actions = recordingActions(calls);
    widget = ReactWidget.create(
      <LakeBrowser model={model} trans={trans} actions={actions} />
    );
    await act(() => {
      Widget.attach(widget, document.body);
      MessageLoop.sendMessage(widget, Widget.Msg.UpdateRequest);
    });
  }

  const $ = <T extends Element = HTMLElement>(selector: string) =>
    widget.node.querySelector(selector) as T;
  const $$ = (selector: string) =>
    Array.from(widget.node.querySelectorAll<HTMLElement>(selector));
  const rows = () => $$('.jp-DataLake-lakeRow');
  /** Type into the filter as a user would: React hears the input event. */
  const typeFilter = (text: string) =>
    act(() => {
      const filter = $<HTMLInputElement>('input[aria-label="Filter by name"]');
      Object.getOwnPropertyDescriptor(
        HTMLInputElement.prototype,
        'value'
      )!.set!.call(filter, text);
      filter.dispatchEvent(new Event('input', { bubbles: true }));
    });
  const row = (key: string) =>
    $(`.jp-DataLake-lakeRow[data-key="${key}"]`) as HTMLElement;
  const labels = (element: HTMLElement) =>
    Array.from(element.querySelectorAll('button')).map(b =>
      b.getAttribute('aria-label')
    );

  it('renders only the rows in view of ten thousand, and those further on when scrolled', async () => {
    lake.folders['users/ada/'] = [
      folder('raw'),
      ...Array.from({ length: 9999 }, (_, i) => object(`${i}.csv`, i, i))
    ];
    await render();
    expect($('[role="grid"]').getAttribute('aria-rowcount')).toBe('10001');
    expect(rows().length).toBeLessThan(40);
    expect(rows()[0].dataset.kind).toBe('folder');
    expect(rows()[0].getAttribute('tabindex')).toBe('0');

    const viewport = $('.jp-DataLake-lakeViewport');
    await act(() => {
      viewport.scrollTop = 5000 * ROW_HEIGHT;
      viewport.dispatchEvent(new Event('scroll'));
    });
    const shown = rows().map(r => Number(r.dataset.index));
    expect(shown.length).toBeLessThan(45);
    expect(shown).toContain(5000);
    // The row that takes the Tab key stays, so that focus is never lost.
    expect(shown).toContain(0);
  });

  it('shows the tabs, the path, and the actions the area allows', async () => {
    lake.folders['users/ada/'] = [folder('raw'), object('a.csv')];
    await render();
    const selected = $$('[role="tab"]').map(tab => [
      tab.textContent,
      tab.getAttribute('aria-selected')
    ]);
    expect(selected).toEqual([
      ['My area', 'true'],
      ['Shared', 'false']
    ]);
    expect($$('.jp-DataLake-crumb').map(c => c.textContent)).toEqual([
      'My area'
    ]);
    expect(labels(row('users/ada/a.csv'))).toEqual([
      'Download a.csv to home',
      'Download a.csv to my computer',
      'Copy s3a:// URI of a.csv',
      'Copy Python snippet for a.csv',
      'Delete a.csv'
    ]);
    // A folder's URI and snippet are copied as an object's are.
    expect(labels(row('users/ada/raw/'))).toEqual([
      'Download raw to home',
      'Copy s3a:// URI of raw',
      'Copy Python snippet for raw',
      'Delete raw'
    ]);

    await act(() =>
      (
        row('users/ada/a.csv').querySelector(
          '.jp-DataLake-lakeDownloadHome'
        ) as HTMLElement
      ).click()
    );
    expect(calls).toEqual(['home users/ada/a.csv']);
  });

  it('offers Delete in shared/ once the server says the object is the user’s, and says whose the others are', async () => {
    lake.folders['shared/'] = [
      folder('team'),
      object('0.csv'),
      object('1.csv')
    ];
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      area: 'shared',
      infoDelay: 50
    });
    await render();
    // Unknown is not yes, nor a reason: nothing until the server says.
    expect(labels(row('shared/0.csv'))).not.toContain('Delete 0.csv');
    expect(labels(row('shared/1.csv'))).not.toContain('Delete 1.csv');
    await settle(60);
    const deleteOf = (key: string) =>
      row(key).querySelector('.jp-DataLake-lakeDelete') as HTMLButtonElement;
    expect(deleteOf('shared/0.csv').disabled).toBe(false);

    // Bob's object: Delete is there, disabled, and says whose it is and why.
    const reason =
      'Uploaded by bob; in Shared you can delete only what you uploaded';
    expect(deleteOf('shared/1.csv').disabled).toBe(true);
    expect(deleteOf('shared/1.csv').title).toBe(reason);
    expect(
      row('shared/1.csv')
        .querySelector('.jp-DataLake-lakeName')
        ?.getAttribute('title')
    ).toBe(`shared/1.csv\n${reason}`);
    await act(() => deleteOf('shared/1.csv').click());
    expect(calls).toEqual([]);
    // The user's own shows who uploaded it, with no reason to refuse.
    expect(
      row('shared/0.csv')
        .querySelector('.jp-DataLake-lakeName')
        ?.getAttribute('title')
    ).toBe('shared/0.csv\nUploaded by ada');

    // A folder may hold anybody's objects.
    expect(deleteOf('shared/team/').disabled).toBe(true);
    expect(deleteOf('shared/team/').title).toBe(
      'In Shared you can delete only what you uploaded; a folder may hold what others uploaded'
    );
    expect($$('.jp-DataLake-crumb').map(c => c.textContent)).toEqual([
      'Shared'
    ]);
  });

  it('says how long ago an object changed, as the file browser does, with the exact time in a tooltip', async () => {
    const now = Date.now() / 1000;
    lake.folders['users/ada/'] = [
      object('fresh.csv', 1, now - 150),
      object('old.csv', 1, now - 36 * 3600)
    ];
    await render();
    const modified = (key: string) =>
      row(key).querySelector('.jp-DataLake-lakeModified') as HTMLElement;
    // The sidebar's narrow column gets the file browser's narrow style.
    expect(modified('users/ada/fresh.csv').textContent).toBe('2m ago');
    expect(modified('users/ada/old.csv').textContent).toBe('yesterday');
    const exact = new Intl.DateTimeFormat('en', {
      dateStyle: 'short',
      timeStyle: 'short'
    }).format(new Date((now - 150) * 1000));
    expect(modified('users/ada/fresh.csv').title).toBe(exact);
    expect(row('users/ada/fresh.csv').getAttribute('aria-label')).toBe(
      `fresh.csv, 1 B, modified ${exact}`
    );
  });

  it('sorts by a column, folders first, and filters by name', async () => {
    lake.folders['users/ada/'] = [
      folder('zz'),
      object('small.csv', 1),
      object('big.csv', 100),
      object('mid.csv', 10)
    ];
    await render();
    const order = () => rows().map(r => r.dataset.key);
    await act(() =>
      ($('.jp-DataLake-sortButton[data-column="size"]') as HTMLElement).click()
    );
    expect($('.jp-DataLake-lakeColumn-size').getAttribute('aria-sort')).toBe(
      'descending'
    );
    expect($('.jp-DataLake-lakeColumn-name').getAttribute('aria-sort')).toBe(
      'none'
    );
    expect(order()).toEqual([
      'users/ada/zz/',
      'users/ada/big.csv',
      'users/ada/mid.csv',
      'users/ada/small.csv'
    ]);

    await typeFilter('MID');
    expect(order()).toEqual(['users/ada/mid.csv']);
  });

  it('moves between rows with the arrows, and opens a folder with Enter', async () => {
    lake.folders['users/ada/'] = [folder('raw'), object('a.csv')];
    lake.folders['users/ada/raw/'] = [];
    await render();
    const first = rows()[0];
    await act(() => {
      first.focus();
      first.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
      );
    });
    expect(document.activeElement).toBe(row('users/ada/a.csv'));
    expect(row('users/ada/a.csv').getAttribute('tabindex')).toBe('0');

    await act(() =>
      row('users/ada/raw/').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
      )
    );
    await settle();
    expect(model.prefix).toBe('raw');
    expect($$('.jp-DataLake-crumb').map(c => c.textContent)).toEqual([
      'My area',
      'raw'
    ]);
    expect(widget.node.textContent).toContain(
      'This folder is empty. Drop files here to upload.'
    );

    await act(() => ($$('.jp-DataLake-crumb')[0] as HTMLElement).click());
    await settle();
    expect(model.prefix).toBe('');
  });

  const key = (
    target: HTMLElement,
    name: string,
    init: KeyboardEventInit = {}
  ) =>
    act(() =>
      target.dispatchEvent(
        new KeyboardEvent('keydown', { key: name, bubbles: true, ...init })
      )
    );

  it('keeps the focus in the listing as Enter opens a folder and Backspace goes back up', async () => {
    lake.folders['users/ada/'] = [folder('a'), folder('raw'), object('x.csv')];
    lake.folders['users/ada/raw/'] = [folder('empty'), object('inside.csv')];
    lake.folders['users/ada/raw/empty/'] = [];
    await render();
    await act(() => row('users/ada/raw/').focus());
    await key(row('users/ada/raw/'), 'Enter');
    await settle();
    expect(model.prefix).toBe('raw');
    expect(document.activeElement).toBe(row('users/ada/raw/empty/'));

    // An empty folder has no row: the listing keeps the focus, and Backspace.
    await key(row('users/ada/raw/empty/'), 'Enter');
    await settle();
    expect(model.prefix).toBe('raw/empty');
    expect(document.activeElement).toBe($('[role="tabpanel"]'));
    await key($('[role="tabpanel"]'), 'Backspace');
    await settle();
    expect(model.prefix).toBe('raw');
    // Back up, on the folder just left.
    expect(document.activeElement).toBe(row('users/ada/raw/empty/'));
    await key(row('users/ada/raw/empty/'), 'Backspace');
    await settle();
    expect(model.prefix).toBe('');
    expect(document.activeElement).toBe(row('users/ada/raw/'));
  });

  it('selects with clicks, and runs Enter, Delete and F2 on a file or the selection', async () => {
    lake.folders['users/ada/'] = ['a', 'b', 'c', 'd'].map(n =>
      object(`${n}.csv`)
    );
    await render();
    const click = (target: HTMLElement, init: MouseEventInit = {}) =>
      act(() =>
        target.dispatchEvent(
          new MouseEvent('click', { bubbles: true, ...init })
        )
      );
    await click(row('users/ada/a.csv'));
    await click(row('users/ada/c.csv'), { shiftKey: true });
    await click(row('users/ada/d.csv'), { ctrlKey: true });
    await click(row('users/ada/b.csv'), { ctrlKey: true });
    expect([...model.selection].sort()).toEqual([
      'users/ada/a.csv',
      'users/ada/c.csv',
      'users/ada/d.csv'
    ]);
    expect(row('users/ada/a.csv').getAttribute('aria-selected')).toBe('true');
    expect(row('users/ada/b.csv').getAttribute('aria-selected')).toBe('false');

    // Delete on a selected row deletes the selection; on another row, that row.
    await key(row('users/ada/d.csv'), 'Delete');
    await key(row('users/ada/b.csv'), 'Delete');
    // Enter or a double-click on a file opens it in JupyterLab; F2 asks to rename it.
    await key(row('users/ada/b.csv'), 'Enter');
    await act(() =>
      row('users/ada/c.csv').dispatchEvent(
        new MouseEvent('dblclick', { bubbles: true })
      )
    );
    await key(row('users/ada/b.csv'), 'F2');
    expect(calls).toEqual([
      'delete users/ada/a.csv,users/ada/c.csv,users/ada/d.csv',
      'delete users/ada/b.csv',
      'open users/ada/b.csv',
      'open users/ada/c.csv',
      'rename users/ada/b.csv'
    ]);

    // Shift and the arrows extend the selection from where it started.
    await click(row('users/ada/b.csv'));
    await key(row('users/ada/b.csv'), 'ArrowDown', { shiftKey: true });
    expect([...model.selection]).toEqual([
      'users/ada/b.csv',
      'users/ada/c.csv'
    ]);
  });

  it('says whether the filter covered the whole folder or only its first entries', async () => {
    lake.folders['users/ada/'] = ['1', '2', '3', '4', '5'].map(n =>
      object(`part${n}.csv`)
    );
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 2,
      levelLimit: 100
    });
    await render();
    await settle();
    // The whole level came in, page after page: the last page's name is found.
    await typeFilter('part5');
    expect(rows().map(r => r.dataset.key)).toEqual(['users/ada/part5.csv']);
    await typeFilter('nothing');
    expect($('.jp-DataLake-lakeNoMatch').textContent).toBe(
      'No name in this folder contains “nothing”.'
    );

    await act(() => widget.dispose());
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 2,
      levelLimit: 3
    });
    await render();
    await settle();
    expect($('.jp-DataLake-lakeMore').textContent).toContain(
      'First 4 entries loaded; sorting and the filter cover only these.'
    );
  });

  it("shows the server's message with a Retry, and a Load more while there are pages", async () => {
    lake.failNext = new DataLakeAPIError(
      'The data lake cannot be reached: connection refused.',
      503
    );
    lake.folders['users/ada/'] = ['1', '2', '3'].map(n => object(`${n}.csv`));
    model = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      pageSize: 2,
      levelLimit: 2
    });
    await render();
    expect($('.jp-DataLake-lakeError').textContent).toContain(
      'The data lake cannot be reached: connection refused.'
    );
    await act(() => $('.jp-DataLake-lakeRetry').click());
    await settle();
    expect($('.jp-DataLake-lakeError')).toBe(null);
    expect(rows()).toHaveLength(2);
    await act(() => $('.jp-DataLake-loadMore').click());
    await settle();
    expect(rows()).toHaveLength(3);
    expect($('.jp-DataLake-loadMore')).toBe(null);
  });

  it('says it is loading rather than show nothing', async () => {
    lake.hold('users/ada/');
    await render();
    expect($('.jp-DataLake-lakeLoading').textContent).toBe('Loading…');
  });

  it('uploads the files picked', async () => {
    lake.folders['users/ada/'] = [];
    await render();
    const input = $<HTMLInputElement>('input.jp-DataLake-uploadInput');
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    Object.defineProperty(input, 'files', {
      value: [new File(['x'], 'a.csv'), new File(['y'], 'b.csv')]
    });
    await act(() =>
      input.dispatchEvent(new Event('change', { bubbles: true }))
    );
    expect(calls).toEqual(['upload a.csv,b.csv']);
  });

  describe('with the areas a platform configures', () => {
    const tabs = () =>
      $$('[role="tab"]').map(tab => ({
        title: tab.textContent,
        selected: tab.getAttribute('aria-selected'),
        access: tab.dataset.access
      }));
    const openTab = async (id: string) => {
      await act(() => $(`[role="tab"][data-area="${id}"]`).click());
      await settle();
    };
    const uploadButton = () =>
      $<HTMLButtonElement>('.jp-DataLake-uploadButton');

    beforeEach(() => {
      lake.areas = FOUR_AREAS;
      model.setAreas(FOUR_AREAS);
    });

    it('shows a tab for each configured area, in order, with its title', async () => {
      lake.folders['datasets/'] = [object('iris.csv')];
      await render();
      expect(tabs()).toEqual([
        { title: 'My area', selected: 'true', access: 'ok' },
        { title: 'Shared', selected: 'false', access: 'ok' },
        { title: 'Datasets', selected: 'false', access: 'ok' },
        { title: 'Raw (Hive/Trino)', selected: 'false', access: 'ok' }
      ]);
      await openTab('datasets');
      expect(model.area).toBe('datasets');
      expect(rows().map(r => r.dataset.key)).toEqual(['datasets/iris.csv']);
      expect($$('.jp-DataLake-crumb').map(c => c.textContent)).toEqual([
        'Datasets'
      ]);
    });

    it('disables Upload and Delete in a read-only area, saying why', async () => {
      lake.folders['raw/'] = [folder('events'), object('0.csv')];
      const dropFile = () => {
        const drop = new Event('drop', { bubbles: true }) as any;
        drop.dataTransfer = {
          types: ['Files'],
          files: [new File(['x'], 'a.csv')],
          items: []
        };
        return act(() => $('.jp-DataLake-lakeBrowser').dispatchEvent(drop));
      };
      await render();
      expect(uploadButton().disabled).toBe(false);
      await dropFile();
      expect(calls).toEqual(['upload a.csv']);

      await openTab('raw');
      expect(uploadButton().disabled).toBe(true);
      expect(uploadButton().title).toBe(RAW_REFUSED);
      expect($('.jp-DataLake-lakeReadOnly').textContent).toBe(RAW_REFUSED);
      const remove = row('raw/0.csv').querySelector(
        '.jp-DataLake-lakeDelete'
      ) as HTMLButtonElement;
      expect(remove.disabled).toBe(true);
      expect(remove.title).toBe('Nothing in raw/ can be deleted from here.');
      // Reading stays: the rows are there with their downloads.
      expect(labels(row('raw/0.csv'))).toContain('Download 0.csv to home');
      // Files dropped on it are not uploaded.
      await dropFile();
      expect(calls).toEqual(['upload a.csv']);
    });

    it('shows the refusal of an area S3 will not list, in place of its rows, and asks nothing', async () => {
      const refusal =
        'Your data lake account may not list users/bob/ (s3a://datalake/users/bob/).';
      const areas = [
        ...DEFAULT_AREAS,
        area('bob', 'users/bob/', {
          title: 'Bob',
          read: 'refused',
          readMessage: refusal,
          write: 'refused',
          writeMessage: 'no',
          delete: 'any'
        })
      ];
      lake.areas = areas;
      model.setAreas(areas);
      await render();
      const tab = $('[role="tab"][data-area="bob"]');
      expect(tab.dataset.access).toBe('refused');
      expect(tab.title).toBe(refusal);
      const listed = lake.api.listObjects.mock.calls.length;
      await openTab('bob');
      expect($('.jp-DataLake-lakeRefused').textContent).toBe(refusal);
      expect($('.jp-DataLake-lakeError')).toBe(null);
      expect($('.jp-DataLake-lakeLoading')).toBe(null);
      expect(uploadButton().disabled).toBe(true);
      expect(lake.api.listObjects.mock.calls.length).toBe(listed);
    });

    it("shows a 403's message as the server words it", async () => {
      const refusal =
        'Your data lake account may not list datasets/private/ (s3a://datalake/datasets/private/).';
      await render();
      lake.failNext = new DataLakeAPIError(refusal, 403);
      await act(() => void model.open('datasets', 'private'));
      await settle();
      expect($('.jp-DataLake-lakeError .jp-DataLake-message').textContent).toBe(
        refusal
      );
    });
  });
});
