import { DataLakeAPI } from '../../api/client';
import { DataLakeAPIError } from '../../api/request';
import { Signal } from '@lumino/signaling';

import { StatusModel } from '../../models/status';
import { UsageModel } from '../../models/usage';
import { ConnectionState, IStatus } from '../../api/types';
import { DEFAULT_AREAS } from '../fixtures/areas';

function status(state: ConnectionState): IStatus {
  return {
    version: '0.1.0',
    user: 'ada',
    bucket: 'datalake',
    endpoint_host: 'minio:9000',
    areas: DEFAULT_AREAS,
    connection: { state, message: `state is ${state}`, hint: '' },
    checked_at: 1,
    root: null
  };
}

/** An API whose answers the test sets, counting how often it is asked. */
class ScriptedAPI {
  calls = 0;
  next: () => Promise<IStatus> = async () => status('ok');
  getStatus(): Promise<IStatus> {
    this.calls++;
    return this.next();
  }
}

function makeModel(api: ScriptedAPI, interval = 5): StatusModel {
  return new StatusModel({
    api: api as unknown as DataLakeAPI,
    interval,
    maxInterval: 300
  });
}

describe('StatusModel', () => {
  let model: StatusModel;
  afterEach(() => model?.dispose());

  it('fetches when shown and reports the connection', async () => {
    const api = new ScriptedAPI();
    model = makeModel(api);
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.start();
    model.setVisible('panel', true);
    await model.refresh();
    expect(model.isConnected).toBe(true);
    expect(model.status?.bucket).toBe('datalake');
    expect(changes).toBeGreaterThan(0);
  });

  it('does not ask the server while the panel is hidden', async () => {
    const api = new ScriptedAPI();
    model = makeModel(api);
    await model.start();
    await model.poll.refresh();
    await model.poll.tick;
    expect(api.calls).toBe(0);
    expect(model.poll.state.phase).toBe('standby');
    model.setVisible('panel', true);
    await model.poll.tick;
    expect(api.calls).toBe(1);
  });

  it('backs off while the data lake is down and recovers when it is back', async () => {
    const api = new ScriptedAPI();
    api.next = async () => status('unreachable');
    // Intervals of a few milliseconds keep the test quick; what matters is their growth.
    model = new StatusModel({
      api: api as unknown as DataLakeAPI,
      interval: 0.01,
      maxInterval: 10
    });
    const intervals: number[] = [];
    model.poll.ticked.connect((_, state) => {
      if (state.phase === 'rejected') {
        intervals.push(state.interval);
      }
    });
    await model.start();
    model.setVisible('panel', true);
    while (intervals.length < 6) {
      await model.poll.tick;
    }
    expect(model.isConnected).toBe(false);
    expect(model.status?.connection.state).toBe('unreachable');
    // Each failure may wait longer than the last, so a down S3 is asked less and less.
    expect(Math.max(...intervals)).toBeGreaterThan(10);

    api.next = async () => status('ok');
    await model.refresh();
    expect(model.isConnected).toBe(true);
    await model.poll.tick;
    expect(model.poll.state.interval).toBe(10);
  });

  it('tells a Jupyter server failure apart from a data lake failure', async () => {
    const api = new ScriptedAPI();
    api.next = () => Promise.reject(new DataLakeAPIError('server gone', 0));
    model = makeModel(api);
    await model.start();
    model.setVisible('panel', true);
    await model.refresh();
    expect(model.error?.status).toBe(0);
    expect(model.isConnected).toBe(false);
  });
});

describe('UsageModel', () => {
  const usage = (percent: number) =>
    ({
      home: '/home/jovyan',
      home_in_contents: '',
      used: percent * 1024 ** 2,
      capacity: 100 * 1024 ** 2,
      percent,
      trash: { path: '.local/share/Trash', bytes: 0, apparent: 0, files: 0 }
    }) as any;

  it('is refreshed shortly after a save, without waiting for the poll', async () => {
    const answers = [usage(10), usage(20)];
    let calls = 0;
    const api = { getUsage: async () => answers[Math.min(calls++, 1)] };
    const contents = { fileChanged: new Signal<any, any>({}) };
    const model = new UsageModel({
      api: api as any,
      contents: contents as any,
      interval: 3600
    });
    await model.start();
    model.setVisible('status-bar', true);
    await model.poll.tick;
    expect(model.usage?.percent).toBe(10);

    const changed = new Promise<void>(resolve =>
      model.changed.connect(() => model.usage?.percent === 20 && resolve())
    );
    contents.fileChanged.emit({ type: 'save', oldValue: null, newValue: {} });
    await changed;
    expect(model.usage?.percent).toBe(20);
    model.dispose();
  });

  it('reports the level from the thresholds, and follows new thresholds', async () => {
    const api = { getUsage: async () => usage(85) };
    const model = new UsageModel({ api: api as any, interval: 3600 });
    await model.start();
    model.setVisible('panel', true);
    await model.poll.tick;
    expect(model.level).toBe('warning');
    model.thresholds = { warning: 50, critical: 80 };
    expect(model.level).toBe('critical');
    model.dispose();
  });
});

describe('answers in order', () => {
  it('never lets an older, slower answer overwrite a newer one', async () => {
    let releaseSlow: (value: any) => void = () => undefined;
    const slow = new Promise(resolve => (releaseSlow = resolve));
    let pollAsked: () => void = () => undefined;
    const asked = new Promise<void>(resolve => (pollAsked = resolve));
    const api = {
      getUsage: (refresh: boolean) => {
        if (refresh) {
          return Promise.resolve({ percent: 30, used: 30 } as any);
        }
        pollAsked();
        return slow as Promise<any>;
      }
    };
    const model = new UsageModel({ api: api as any, interval: 3600 });
    await model.start();
    model.setVisible('panel', true); // starts a poll tick whose answer is held back
    await asked;
    await model.rescan(); // a newer request, answered at once
    expect(model.usage?.percent).toBe(30);
    releaseSlow({ percent: 10, used: 10 });
    await model.poll.tick;
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(model.usage?.percent).toBe(30);
    model.dispose();
  });
});

describe('UsageModel, polling for writes from outside JupyterLab', () => {
  const reply = (version: number, used: number, poll_seconds = 2) =>
    ({ version, used, percent: 1, refreshing: false, poll_seconds }) as any;

  it('asks whether the figure changed since its version, and keeps it when not', async () => {
    const asked: number[] = [];
    const answers: any[] = [
      { version: 1, unchanged: true, refreshing: false },
      reply(2, 200)
    ];
    const api = {
      getUsage: async () => reply(1, 100),
      pollUsage: async (since: number) => {
        asked.push(since);
        return answers.shift();
      }
    };
    const model = new UsageModel({ api: api as any, interval: 60 });
    await model.start();
    model.setVisible('panel', true);
    await model.poll.tick;
    const first = model.usage;
    expect(first?.used).toBe(100);
    // The server said to poll every 2 s, not the setting's 60.
    expect(model.poll.frequency.interval).toBe(2000);

    await model.refresh();
    expect(asked).toEqual([1]);
    expect(model.usage).toBe(first);

    await model.refresh();
    expect(asked).toEqual([1, 1]);
    expect(model.usage?.used).toBe(200);
    model.dispose();
  });

  it('keeps the setting when it is the shorter interval', async () => {
    const api = { getUsage: async () => reply(1, 100, 30) };
    const model = new UsageModel({ api: api as any, interval: 10 });
    await model.start();
    model.setVisible('panel', true);
    await model.poll.tick;
    expect(model.poll.frequency.interval).toBe(10000);
    model.dispose();
  });
});
