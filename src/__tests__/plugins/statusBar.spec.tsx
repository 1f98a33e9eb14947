/**
 * The status bar item leads to home usage: a click opens the Storage panel at its Home
 * section, however far down the panel was scrolled before. The two real plugins are wired as
 * JupyterLab wires them; the shell, the status bar and the server are stand-ins.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { DataLakeAPI } from '../../api/client';
import { DataLakeAPIError } from '../../api/request';
import { AtRiskModel } from '../../models/atrisk';
import { LakeBrowserModel } from '../../models/lake';
import { StatusModel } from '../../models/status';
import { TransfersModel } from '../../models/transfers';
import { UsageModel } from '../../models/usage';
import { panelPlugin } from '../../plugins/panel';
import { statusBarPlugin } from '../../plugins/statusBar';
import { IDataLake, IStoragePanel, PANEL_ID } from '../../tokens';
import { show } from '../fixtures/render';

/**
 * A server that is down: every request fails at once, so that no poll is still waiting when
 * the models are disposed. The panel then shows each section with the error, Home first.
 */
const down = new Proxy(
  {},
  {
    get: () => () =>
      Promise.reject(new DataLakeAPIError('The server is not running.', 0))
  }
) as DataLakeAPI;

describe('the status bar item', () => {
  const scrollIntoView = Element.prototype.scrollIntoView;
  let dataLake: IDataLake;
  let widgets: Widget[];
  let scrolledTo: Element[];
  let activated: string[];

  beforeEach(() => {
    widgets = [];
    scrolledTo = [];
    activated = [];
    // jsdom lays nothing out; record what the panel brings into view instead.
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolledTo.push(this);
    };
    const transfers = new TransfersModel({ api: down });
    dataLake = {
      api: down,
      status: new StatusModel({ api: down }),
      usage: new UsageModel({ api: down }),
      atRisk: new AtRiskModel({ api: down }),
      transfers,
      lake: new LakeBrowserModel({ api: down, transfers }),
      settings: {
        statusInterval: 30,
        usageInterval: 60,
        thresholds: { warning: 80, critical: 95 },
        showStatusBar: true,
        checkPaths: true
      },
      settingsChanged: new Signal<unknown, IDataLake.ISettings>({})
    } as unknown as IDataLake;
  });
  afterEach(async () => {
    Element.prototype.scrollIntoView = scrollIntoView;
    await React.act(async () => widgets.forEach(widget => widget.dispose()));
    for (const model of [
      dataLake.status,
      dataLake.usage,
      dataLake.atRisk,
      dataLake.transfers,
      dataLake.lake
    ]) {
      model.dispose();
    }
  });

  /** JupyterLab with the panel and the status bar plugins activated, both rendered. */
  async function start(): Promise<{ panel: IStoragePanel; item: Widget }> {
    const app = {
      shell: {
        add: (widget: Widget) => widgets.push(widget),
        activateById: (id: string) => activated.push(id)
      },
      commands: { execute: jest.fn() }
    } as unknown as JupyterFrontEnd;
    const panel = (await panelPlugin.activate(
      app,
      dataLake,
      null,
      null,
      null
    )) as IStoragePanel;
    let item: Widget | null = null;
    const statusBar = {
      registerStatusItem: (_id: string, status: { item: Widget }) => {
        item = status.item;
      }
    } as unknown as IStatusBar;
    statusBarPlugin.activate(app, dataLake, statusBar, panel, null);
    widgets.push(item!);
    for (const widget of widgets) {
      await show(widget);
    }
    return { panel, item: item! };
  }

  it('opens the Storage panel at Home, wherever it was scrolled', async () => {
    const { panel, item } = await start();
    // The user had followed a notification down to the transfers.
    panel.show('transfers');
    expect(scrolledTo.pop()?.classList).toContain('jp-DataLake-transfers');

    await React.act(async () =>
      item.node.querySelector<HTMLButtonElement>('button')!.click()
    );
    expect(activated).toEqual([PANEL_ID, PANEL_ID]);
    expect(scrolledTo.map(node => node.className)).toEqual([
      'jp-DataLake-section jp-DataLake-usage'
    ]);
    expect(scrolledTo[0].querySelector('h3')?.textContent).toBe('Home');
  });
});
