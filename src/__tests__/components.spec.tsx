import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { DownloadDialog } from '../components/DownloadDialog';
import { SendDialog } from '../components/SendDialog';
import { TransfersSection } from '../components/TransfersSection';
import { ITransfer, ITransferPlan } from '../tokens';
import { ITransferActions, TransfersModel } from '../transfers';
import { MiB, transfer } from './fixtures';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const trans = nullTranslator.load('jupyterlab_datalake');

/** Attach a widget and let React render it. */
async function show(widget: Widget): Promise<Widget> {
  await React.act(async () => {
    Widget.attach(widget, document.body);
    MessageLoop.sendMessage(widget, Widget.Msg.UpdateRequest);
  });
  return widget;
}

async function settle(ms = 0): Promise<void> {
  await React.act(() => new Promise(resolve => setTimeout(resolve, ms)));
}

describe('TransfersSection', () => {
  let widget: Widget;
  afterEach(() => React.act(() => widget?.dispose()));

  function render(transfers: ITransfer[] | null, actions: ITransferActions) {
    const model = {
      value: transfers,
      transfers: transfers ?? [],
      error: null,
      isFetching: false,
      refresh: async () => undefined
    } as unknown as TransfersModel;
    widget = ReactWidget.create(
      <TransfersSection model={model} trans={trans} actions={actions} />
    );
    return show(widget);
  }

  function actions(): ITransferActions & { calls: string[] } {
    const calls: string[] = [];
    const record =
      (name: string) =>
      (t?: ITransfer): void => {
        calls.push(t ? `${name} ${t.id}` : name);
      };
    return {
      calls,
      cancel: record('cancel'),
      retry: record('retry'),
      remove: record('remove'),
      clear: record('clear'),
      copyUri: record('copyUri'),
      copySnippet: record('copySnippet'),
      showTransfers: record('showTransfers'),
      showInFileBrowser: record('showInFileBrowser')
    };
  }

  it('offers no Retry for an upload from the computer, and shows a download in the file browser', async () => {
    const spy = actions();
    await render(
      [
        transfer('web', 'failed', {
          origin: 'browser',
          message: 'The upload stopped: no part arrived for 2 minutes.'
        }),
        transfer('down', 'done', {
          direction: 'download',
          sources: ['shared/data/down.csv'],
          destination: 'work/down.csv'
        })
      ],
      spy
    );
    const failed = widget.node.querySelector(
      '.jp-DataLake-transfer[data-state="failed"]'
    ) as HTMLElement;
    expect(failed.querySelector('.jp-DataLake-transferRetry')).toBe(null);
    expect(failed.textContent).toContain('Upload it again from your computer.');
    const done = widget.node.querySelector(
      '.jp-DataLake-transfer[data-state="done"]'
    ) as HTMLElement;
    expect(done.textContent).toContain('Received');
    expect(done.querySelector('.jp-DataLake-copySnippet')).toBe(null);
    await React.act(() =>
      (done.querySelector('.jp-DataLake-showDownload') as HTMLElement).click()
    );
    expect(spy.calls).toEqual(['showInFileBrowser down']);
  });

  it('says how to start when there is nothing', async () => {
    await render([], actions());
    expect(widget.node.textContent).toContain(
      'No transfers yet. Right-click a file or folder and choose Send to data lake.'
    );
    const clear = widget.node.querySelector(
      '.jp-DataLake-clearTransfers'
    ) as HTMLButtonElement;
    expect(clear.disabled).toBe(true);
  });

  it('offers to each state the buttons that make sense', async () => {
    const spy = actions();
    await render(
      [
        transfer('run', 'running', {
          bytes_done: 42 * MiB,
          rate: 12 * MiB,
          eta: 65
        }),
        transfer('wait', 'queued'),
        transfer('ok', 'done', { bytes_done: 100 * MiB, files_done: 1 }),
        transfer('bad', 'failed', {
          message:
            'The bucket refused the upload of data/bad.csv: access denied for users/ada/.'
        }),
        transfer('stop', 'cancelled')
      ],
      spy
    );
    const row = (state: string) =>
      widget.node.querySelector(
        `.jp-DataLake-transfer[data-state="${state}"]`
      ) as HTMLElement;
    const buttons = (state: string) =>
      Array.from(row(state).querySelectorAll('button')).map(b =>
        b.className.replace('jp-DataLake-linkButton', '').trim()
      );

    expect(buttons('running')).toEqual(['jp-DataLake-transferCancel']);
    expect(buttons('queued')).toEqual(['jp-DataLake-transferCancel']);
    expect(buttons('done')).toEqual([
      'jp-DataLake-copyUri',
      'jp-DataLake-copySnippet',
      'jp-DataLake-transferRemove'
    ]);
    expect(buttons('failed')).toEqual([
      'jp-DataLake-transferRetry',
      'jp-DataLake-transferRemove'
    ]);
    expect(buttons('cancelled')).toEqual([
      'jp-DataLake-transferRetry',
      'jp-DataLake-transferRemove'
    ]);

    const bar = row('running').querySelector(
      '.jp-DataLake-transferProgress'
    ) as HTMLElement;
    expect(bar.getAttribute('role')).toBe('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(row('running').textContent).toContain(
      '42% · 12 MiB/s · 1 min 5 s left'
    );
    expect(row('done').querySelector('.jp-DataLake-transferProgress')).toBe(
      null
    );
    expect(row('failed').textContent).toContain(
      'The bucket refused the upload of data/bad.csv: access denied for users/ada/.'
    );
    expect(row('done').textContent).toContain(
      's3a://datalake/users/ada/ok.csv'
    );

    for (const button of Array.from(widget.node.querySelectorAll('button'))) {
      expect(button.getAttribute('aria-label')).toBeTruthy();
    }

    await React.act(() => {
      (
        row('done').querySelector('.jp-DataLake-copySnippet') as HTMLElement
      ).click();
      (
        row('failed').querySelector('.jp-DataLake-transferRetry') as HTMLElement
      ).click();
      (
        widget.node.querySelector('.jp-DataLake-clearTransfers') as HTMLElement
      ).click();
    });
    expect(spy.calls).toEqual(['copySnippet ok', 'retry bad', 'clear']);
  });
});

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

  function open(planner: SendDialog.IOptions['plan']) {
    widget = new SendDialog({
      sources: ['data'],
      bucket: 'datalake',
      areas: { mine: 'users/ada/', shared: 'shared/' },
      plan: planner,
      trans
    });
    return show(widget);
  }

  async function type(text: string) {
    const input = widget.node.querySelector(
      'input[type="text"]'
    ) as HTMLInputElement;
    await React.act(() => {
      Object.getOwnPropertyDescriptor(
        HTMLInputElement.prototype,
        'value'
      )!.set!.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  it('previews the first keys, the clashes first, and asks what to do with them', async () => {
    const keys = Array.from(
      { length: 25 },
      (_, i) => `users/ada/data/${i}.csv`
    );
    await open(async () => plan(keys, ['users/ada/data/24.csv']));
    await settle();
    const text = widget.node.textContent ?? '';
    expect(text).toContain('and 5 more');
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
