import { DataLakeAPI, DataLakeAPIError } from '../api';
import { StatusModel } from '../model';
import { ConnectionState, IStatus } from '../tokens';

function status(state: ConnectionState): IStatus {
  return {
    version: '0.1.0',
    user: 'ada',
    bucket: 'datalake',
    endpoint_host: 'minio:9000',
    areas: { shared: 'shared/', mine: 'users/ada/' },
    connection: { state, message: `state is ${state}`, hint: '' },
    checked_at: 1
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
    model.visible = true;
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
    model.visible = true;
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
    model.visible = true;
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
    model.visible = true;
    await model.refresh();
    expect(model.serverError?.status).toBe(0);
    expect(model.isConnected).toBe(false);
  });
});
