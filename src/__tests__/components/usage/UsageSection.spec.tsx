/**
 * The Home section as the user reads it: space on disk, labelled so; the trash counted in what
 * the user trashed; checkpoints and the trash apart from the user's own largest files.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { IUsage } from '../../../api/types';
import { IHomeActions } from '../../../components/actions';
import { UsageSection } from '../../../components/usage/UsageSection';
import { UsageModel } from '../../../models/usage';
import { show } from '../../fixtures/render';
import { usageReply } from '../../fixtures/usage';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('UsageSection', () => {
  let widget: Widget;
  let model: UsageModel;
  let shown: string[];
  afterEach(() => {
    React.act(() => widget?.dispose());
    model?.dispose();
  });

  async function render(reply: IUsage): Promise<HTMLElement> {
    model = new UsageModel({
      api: { getUsage: async () => reply } as any,
      interval: 3600
    });
    await model.rescan();
    shown = [];
    const actions = {
      showInFileBrowser: (path: string) => shown.push(path),
      emptyTrash: () => undefined,
      sendFromHome: () => undefined
    } as unknown as IHomeActions;
    widget = ReactWidget.create(
      <UsageSection model={model} trans={trans} actions={actions} now={1000} />
    );
    await show(widget);
    return widget.node;
  }

  const list = (node: HTMLElement, name: string) =>
    node.querySelector(`ul[aria-label="${name}"]`) as HTMLElement | null;

  it('counts the trash in items, not in .trashinfo sidecars', async () => {
    const node = await render(usageReply({ files: 2, items: 1 }));
    expect(node.querySelector('.jp-DataLake-trashText')?.textContent).toBe(
      'Trash: 1 item, 152 KiB on disk, still counted in home'
    );
  });

  it('gives no count when the server does not say how many items', async () => {
    const node = await render(usageReply({ files: 2 }));
    expect(node.querySelector('.jp-DataLake-trashText')?.textContent).toBe(
      'Trash: 152 KiB on disk, still counted in home'
    );
  });

  it('says what checkpoints and trashed files are, apart from the largest files', async () => {
    const node = await render(usageReply({ items: 1 }));
    expect(list(node, 'Largest files')?.textContent).toContain(
      'sales_data.csv'
    );
    expect(list(node, 'Largest files')?.textContent).not.toContain(
      'checkpoint'
    );
    expect(list(node, 'Notebook checkpoints')?.textContent).toContain(
      'Notebook checkpoint of notebooks/explore.ipynb'
    );
    expect(list(node, 'In the trash')?.textContent).toContain(
      'In the trash: old.parquet'
    );
    const show = list(node, 'Notebook checkpoints')!.querySelector(
      'button'
    ) as HTMLButtonElement;
    React.act(() => show.click());
    expect(shown).toEqual([
      'notebooks/.ipynb_checkpoints/explore-checkpoint.ipynb'
    ]);
  });

  it('labels sizes as space on disk, with the file size beside it', async () => {
    const node = await render(usageReply());
    const row = Array.from(node.querySelectorAll('.jp-DataLake-entry')).find(
      li => li.textContent?.includes('sales_data.csv')
    )!;
    const size = row.querySelector('.jp-DataLake-entrySize')!;
    expect(size.textContent).toBe('268 KiB');
    expect(size.getAttribute('title')).toBe(
      '268 KiB on disk, counted against your quota; the file is 265 KiB'
    );
    const folder = list(node, 'Largest folders')!.querySelector(
      '.jp-DataLake-entrySize'
    )!;
    expect(folder.getAttribute('title')).toBe(
      '28 KiB on disk, counted against your quota; its 4 files come to 772 B'
    );
    expect(node.textContent).toContain('Largest files · on disk');
  });
});
