import { ServerConnection } from '@jupyterlab/services';

import { DataLakeAPI } from '../../api/client';
import { DataLakeAPIError } from '../../api/request';
import { transfer } from '../fixtures/transfers';

/** A server that records each request (method, path, JSON body) and answers `reply`. */
function recording(reply: unknown, status = 200) {
  const calls: { method: string; path: string; body: any }[] = [];
  const fetch = async (request: Request) => {
    const text = await request.text();
    calls.push({
      method: request.method,
      path: new URL(request.url).pathname,
      body: text ? JSON.parse(text) : null
    });
    return new Response(JSON.stringify(reply), { status });
  };
  const api = new DataLakeAPI(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/user/ada/',
      fetch: fetch as any
    })
  );
  return { api, calls };
}

const LINK = {
  url: 'http://s3.example.org/datalake/shared/a.csv?X-Amz-Signature=abc',
  key: 'shared/a.csv',
  lifetime: 86400,
  expires: 1795725956,
  inside_cluster_only: false
};

describe('the lake operations of the client', () => {
  it('makes a folder with the area, the folder it goes in and its name', async () => {
    const { api, calls } = recording(
      { area: 'mine', key: 'users/ada/a/new/', prefix: 'a/new' },
      201
    );
    const made = await api.createFolder('mine', 'a', 'new');
    expect(made.prefix).toBe('a/new');
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/user/ada/datalake/objects/folder',
        body: { area: 'mine', prefix: 'a', name: 'new' }
      }
    ]);
  });

  it('plans a move as a dry run and starts it for real', async () => {
    const moving = transfer('m', 'queued', {
      direction: 'move',
      source_area: 'shared'
    });
    const { api, calls } = recording(moving, 201);
    const request = {
      operation: 'move' as const,
      area: 'shared',
      keys: ['shared/run/'],
      destination_area: 'mine',
      prefix: 'archive'
    };
    await api.planCopy(request);
    const started = await api.startCopy(request);
    expect(started.direction).toBe('move');
    expect(calls.map(c => [c.path, c.body.dry_run])).toEqual([
      ['/user/ada/datalake/objects/copy', true],
      ['/user/ada/datalake/objects/copy', false]
    ]);
    expect(calls[1].body.keys).toEqual(['shared/run/']);
  });

  it('asks for a share link with the lifetime in seconds', async () => {
    const { api, calls } = recording(LINK);
    const link = await api.shareLink('shared', 'shared/a.csv', 604800);
    expect(link.url).toBe(LINK.url);
    expect(calls[0].body).toEqual({
      area: 'shared',
      key: 'shared/a.csv',
      lifetime: 604800
    });
  });

  it('refuses a share link reply that does not say where the link works', async () => {
    const { inside_cluster_only, ...partial } = LINK;
    void inside_cluster_only;
    const call = recording(partial).api.shareLink(
      'shared',
      'shared/a.csv',
      3600
    );
    await expect(call).rejects.toBeInstanceOf(DataLakeAPIError);
    await expect(call).rejects.toThrow(
      'reply.inside_cluster_only is undefined, not true or false'
    );
  });

  it('lists copies and moves among the transfers, and no other new direction', async () => {
    const copies = [
      transfer('c', 'done', { direction: 'copy' }),
      transfer('m', 'running', { direction: 'move' })
    ];
    const listed = await recording({ transfers: copies }).api.listTransfers();
    expect(listed.map(t => t.direction)).toEqual(['copy', 'move']);
    const odd = { ...transfer('x', 'done'), direction: 'teleport' };
    await expect(
      recording({ transfers: [odd] }).api.listTransfers()
    ).rejects.toThrow('reply.transfers[0].direction is "teleport"');
  });

  it("says the server's reason for a move it refuses", async () => {
    const { api } = recording(
      {
        message:
          'shared/a.csv was uploaded by grace; in shared/ you can delete only what you uploaded.'
      },
      403
    );
    const call = api.startCopy({
      operation: 'move',
      area: 'shared',
      keys: ['shared/a.csv']
    });
    await expect(call).rejects.toMatchObject({ status: 403 });
    await expect(call).rejects.toThrow('uploaded by grace');
  });
});
