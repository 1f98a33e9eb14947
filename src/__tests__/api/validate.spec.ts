import { ServerConnection } from '@jupyterlab/services';

import { DataLakeAPI } from '../../api/client';
import { DataLakeAPIError } from '../../api/request';
import { ITransfer } from '../../api/types';
import { FOUR_AREAS, statusWith } from '../fixtures/areas';
import { transfer } from '../fixtures/transfers';

/** A client whose server answers every request with `body` and status 200. */
function clientAnswering(body: unknown): DataLakeAPI {
  const fetch = async () => new Response(JSON.stringify(body), { status: 200 });
  return new DataLakeAPI(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: fetch as any
    })
  );
}

describe('replies of the wrong shape', () => {
  it('fail with the field that is wrong, instead of showing a wrong figure', async () => {
    // A proxy's or an older server's JSON: usage with no figures.
    const call = clientAnswering({
      home: '/home/ada',
      home_in_contents: '',
      used: '1 GiB'
    }).getUsage();
    await expect(call).rejects.toBeInstanceOf(DataLakeAPIError);
    await expect(call).rejects.toMatchObject({ status: 200 });
    await expect(call).rejects.toThrow('reply.used is "1 GiB", not a number');
    await expect(call).rejects.toThrow('GET /datalake/usage');
  });

  it('name the transfer whose state is unknown', async () => {
    const odd = { ...transfer('a', 'running'), state: 'paused' };
    const call = clientAnswering({
      transfers: [transfer('b', 'done'), odd]
    }).listTransfers();
    await expect(call).rejects.toThrow(
      'reply.transfers[1].state is "paused", not one of queued, running, done, failed, cancelled'
    );
  });

  it('fail when the status says nothing of the connection', async () => {
    const call = clientAnswering({ version: '0.1.0' }).getStatus();
    await expect(call).rejects.toThrow('reply.user is undefined');
  });

  it('fail on the two fixed areas of an older server, instead of showing no tabs', async () => {
    const call = clientAnswering({
      ...statusWith(null),
      areas: { shared: 'shared/', mine: 'users/ada/' }
    }).getStatus();
    await expect(call).rejects.toThrow('reply.areas is an object, not a list');
  });

  it('fail on an area whose write access is of no known state', async () => {
    const odd = { ...FOUR_AREAS[3], write: { state: 'maybe', message: '' } };
    const call = clientAnswering({
      ...statusWith(null),
      areas: [...FOUR_AREAS.slice(0, 3), odd]
    }).getStatus();
    await expect(call).rejects.toThrow(
      'reply.areas[3].write.state is "maybe", not one of ok, refused, not-allowed, unchecked'
    );
  });

  it('fail when a page of the lake has no list of objects', async () => {
    const call = clientAnswering({
      prefix: '',
      key_prefix: 'users/ada/',
      folders: [],
      objects: null,
      next_cursor: null
    }).listObjects('mine', '');
    await expect(call).rejects.toThrow('reply.objects is null, not a list');
  });

  it('pass a status of four areas, and a transfer to a configured area', async () => {
    const status = await clientAnswering(statusWith(FOUR_AREAS)).getStatus();
    expect(status.areas?.[3].write.message).toContain('may not write to raw/');
    const [sent] = await clientAnswering({
      transfers: [{ ...transfer('a', 'done'), area: 'datasets' }]
    }).listTransfers();
    expect(sent.area).toBe('datasets');
  });

  it('pass when right, extra fields included', async () => {
    const listed: ITransfer = { ...transfer('a', 'done'), items: [] };
    const reply = await clientAnswering({
      transfers: [{ ...listed, added_later: true }]
    }).listTransfers();
    expect(reply.map(t => t.id)).toEqual(['a']);
  });

  it('pass an unchanged poll, and check a changed one as a usage', async () => {
    const unchanged = { version: 3, unchanged: true, refreshing: false };
    expect(await clientAnswering(unchanged).pollUsage(3)).toEqual(unchanged);
    const call = clientAnswering({ version: 4, used: 'lots' }).pollUsage(3);
    await expect(call).rejects.toThrow('reply.home is undefined');
    await expect(
      clientAnswering({ unchanged: true, refreshing: false }).pollUsage(3)
    ).rejects.toThrow('reply.version');
  });
});
