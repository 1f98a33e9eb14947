import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { ITransfer } from '../../../api/types';
import { ITransferActions } from '../../../components/actions';
import { TransfersSection } from '../../../components/transfers/TransfersSection';
import { TransfersModel } from '../../../models/transfers';
import { show } from '../../fixtures/render';
import { MiB, transfer } from '../../fixtures/transfers';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('TransfersSection', () => {
  let widget: Widget;
  afterEach(() => React.act(() => widget?.dispose()));

  function render(
    transfers: ITransfer[] | null,
    actions: ITransferActions,
    gone: string[] = []
  ) {
    // What the lake says of each upload's objects: gone for those listed.
    const model = {
      value: transfers,
      transfers: transfers ?? [],
      error: null,
      isFetching: false,
      refresh: async () => undefined,
      isGone: (id: string) => gone.includes(id),
      checkInLake: async (asked: ITransfer[]) =>
        asked.every(t => !gone.includes(t.id))
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

  it('says a move and a copy inside the lake as such, not as sent or received', async () => {
    await render(
      [
        transfer('moving', 'running', { direction: 'move', bytes_done: MiB }),
        transfer('copied', 'done', { direction: 'copy' })
      ],
      actions()
    );
    const state = (id: string) =>
      widget.node.querySelector(
        `.jp-DataLake-transfer[data-state="${id}"] .jp-DataLake-transferState`
      )?.textContent ?? '';
    expect(state('running')).toMatch(/^Moving/);
    expect(state('done')).toMatch(/^Copied/);
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

    // A copy asks the lake first, so it is carried out last.
    await React.act(async () => {
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
    expect(spy.calls).toEqual(['retry bad', 'clear', 'copySnippet ok']);
  });

  it('says it is verifying once every byte moved, with nothing left to cancel', async () => {
    await render(
      [
        transfer('big', 'running', {
          verifying: true,
          bytes_done: 100 * MiB
        })
      ],
      actions()
    );
    const row = widget.node.querySelector(
      '.jp-DataLake-transfer'
    ) as HTMLElement;
    expect(
      row.querySelector('.jp-DataLake-transferState')?.textContent
    ).toMatch(/^Verifying…/);
    expect(row.querySelector('.jp-DataLake-transferDetails')?.textContent).toBe(
      '100% · checking what was written · 100 MiB of 100 MiB'
    );
    expect(row.querySelector('.jp-DataLake-transferCancel')).toBe(null);
  });

  it('says when each transfer started, to the second in a tooltip', async () => {
    const now = Date.now() / 1000;
    await render(
      [
        transfer('again', 'done', { created: now - 120, started: now - 60 }),
        transfer('first', 'done', { created: now - 7200, started: now - 7200 })
      ],
      actions()
    );
    const times = Array.from(
      widget.node.querySelectorAll('.jp-DataLake-transferWhen')
    ) as HTMLElement[];
    expect(times.map(t => t.textContent)).toEqual(['1m ago', '2h ago']);
    expect(times[0].title).toMatch(/^Started \w+/);
    expect(times[0].title).not.toBe(times[1].title);
  });

  it('says when what an upload wrote is gone, and copies nothing of it', async () => {
    const spy = actions();
    await render([transfer('kept', 'done'), transfer('gone', 'done')], spy, [
      'gone'
    ]);
    const row = (id: string) =>
      Array.from(widget.node.querySelectorAll('.jp-DataLake-transfer')).find(
        li => li.textContent?.includes(`${id}.csv`)
      ) as HTMLElement;
    expect(row('gone').textContent).toContain(
      'gone.csv is no longer in the data lake.'
    );
    const copy = (id: string) =>
      row(id).querySelector('.jp-DataLake-copyUri') as HTMLButtonElement;
    expect(copy('gone').disabled).toBe(true);
    expect(row('kept').textContent).not.toContain('no longer');
    await React.act(async () => copy('kept').click());
    expect(spy.calls).toEqual(['copyUri kept']);
  });
});
