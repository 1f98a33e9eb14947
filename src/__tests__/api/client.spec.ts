import { ServerConnection } from '@jupyterlab/services';

import { DataLakeAPI } from '../../api/client';
import { DataLakeAPIError } from '../../api/request';
import { IStatus } from '../../api/types';
import { FOUR_AREAS, statusWith } from '../fixtures/areas';

/** A fake of the browser's fetch that records requests and answers from a table. */
function fakeServer(answer: (url: string) => { status: number; body: string }) {
  const calls: { url: string; method: string }[] = [];
  const fetch = async (request: Request) => {
    calls.push({ url: request.url, method: request.method });
    const { status, body } = answer(request.url);
    return new Response(body, {
      status,
      statusText: status === 403 ? 'Forbidden' : 'Status'
    });
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/user/ada/',
    fetch: fetch as any
  });
  return { calls, settings };
}

const STATUS: IStatus = statusWith(FOUR_AREAS);

describe('DataLakeAPI', () => {
  it('asks for the status under the base URL', async () => {
    const { calls, settings } = fakeServer(() => ({
      status: 200,
      body: JSON.stringify(STATUS)
    }));
    const status = await new DataLakeAPI(settings).getStatus();
    expect(status.connection.state).toBe('ok');
    const url = new URL(calls[0].url);
    expect(url.origin + url.pathname).toBe(
      'http://localhost:8888/user/ada/datalake/status'
    );
    expect(calls[0].method).toBe('GET');
  });

  it("raises the server's own message with the HTTP status", async () => {
    const { settings } = fakeServer(() => ({
      status: 400,
      body: JSON.stringify({ message: 'Path is outside home' })
    }));
    const call = new DataLakeAPI(settings).getStatus();
    await expect(call).rejects.toBeInstanceOf(DataLakeAPIError);
    await expect(call).rejects.toMatchObject({
      status: 400,
      message: 'Path is outside home'
    });
  });

  it("keeps S3's refusal as the server words it, naming the area and the action", async () => {
    const refusal =
      'Your data lake account may not delete in shared/ (s3a://datalake/shared/).';
    const { settings } = fakeServer(() => ({
      status: 403,
      body: JSON.stringify({ message: refusal })
    }));
    const call = new DataLakeAPI(settings).deleteObjects('shared', [
      'shared/bob.csv'
    ]);
    await expect(call).rejects.toMatchObject({ status: 403, message: refusal });
  });

  it('takes the configured areas of the status, in order', async () => {
    const { settings } = fakeServer(() => ({
      status: 200,
      body: JSON.stringify(STATUS)
    }));
    const status = await new DataLakeAPI(settings).getStatus();
    expect(status.areas?.map(area => area.id)).toEqual([
      'mine',
      'shared',
      'datasets',
      'raw'
    ]);
  });

  it('says the status line when the body is not JSON', async () => {
    const { settings } = fakeServer(() => ({
      status: 403,
      body: '<html>Forbidden</html>'
    }));
    await expect(new DataLakeAPI(settings).getStatus()).rejects.toMatchObject({
      status: 403,
      message: '403 Forbidden'
    });
  });

  it('reports an unreachable Jupyter server as status 0', async () => {
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as any
    });
    await expect(new DataLakeAPI(settings).getStatus()).rejects.toMatchObject({
      status: 0
    });
  });

  it('builds download links that never carry the server token', () => {
    // The web browser authenticates the link with the login cookie; a token in a URL
    // would end up in the server's log and the browser's download history.
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/user/ada/',
      token: 'secret-server-token'
    });
    const url = new URL(
      new DataLakeAPI(settings).downloadUrl('shared', 'shared/q3/a&b.csv')
    );
    expect(url.origin + url.pathname).toBe(
      'http://localhost:8888/user/ada/datalake/objects/download'
    );
    expect(url.search).toBe(
      '?' + new URLSearchParams({ area: 'shared', key: 'shared/q3/a&b.csv' })
    );
    expect(url.href).not.toContain('secret-server-token');
  });
});
