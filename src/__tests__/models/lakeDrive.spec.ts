import { ContentsManager, ServerConnection } from '@jupyterlab/services';

import { DataLakeAPI } from '../../api/client';
import { LakeDrive, LakeDriveError } from '../../models/lakeDrive';

/**
 * A fake of the server's /datalake/contents over objects held here, each with an ETag that
 * changes on every write, and that saves only over the ETag a save names: as RGW does.
 */
function fakeLake(objects: { [path: string]: string }) {
  let version = 0;
  const etags: { [path: string]: string } = {};
  const write = (path: string, text: string) => {
    objects[path] = text;
    etags[path] = `etag-${++version}`;
  };
  Object.entries(objects).forEach(([path, text]) => write(path, text));
  const saves: { path: string; etag: string }[] = [];
  const model = (path: string, content: boolean) => ({
    name: path.split('/').pop(),
    path,
    type: 'file',
    format: content ? 'text' : null,
    mimetype: 'text/csv',
    content: content ? objects[path] : null,
    created: '2026-12-02T10:00:00+00:00',
    last_modified: `2026-12-02T10:00:0${version % 10}+00:00`,
    size: objects[path].length,
    writable: !path.startsWith('datasets/'),
    hash: etags[path],
    hash_algorithm: 'etag',
    key: path.replace(/^mine\//, 'users/ada/')
  });
  const reply = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status });
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    if (request.method === 'GET') {
      const path = url.searchParams.get('path')!;
      if (!(path in objects)) {
        return reply(404, { message: `${path} is not in the data lake` });
      }
      return reply(200, model(path, url.searchParams.get('content') !== '0'));
    }
    const body = JSON.parse(await request.text());
    saves.push({ path: body.path, etag: body.etag });
    if (etags[body.path] !== body.etag) {
      return reply(412, { message: `${body.path} changed in the data lake` });
    }
    write(body.path, body.model.content);
    return reply(200, model(body.path, false));
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/user/ada/',
    fetch: fetch as any
  });
  return { settings, saves, write, etags };
}

function driveOn(lake: ReturnType<typeof fakeLake>) {
  const drive = new LakeDrive({
    api: new DataLakeAPI(lake.settings),
    serverSettings: lake.settings
  });
  const contents = new ContentsManager({ serverSettings: lake.settings });
  contents.addDrive(drive);
  return { drive, contents };
}

describe('LakeDrive', () => {
  it("opens a lake object through JupyterLab's contents service by its datalake: path", async () => {
    const lake = fakeLake({ 'shared/countries.csv': 'code\nfr\n' });
    const { contents } = driveOn(lake);
    const model = await contents.get('datalake:shared/countries.csv');
    expect(model.path).toBe('datalake:shared/countries.csv');
    expect(model.content).toBe('code\nfr\n');
    expect(model.hash).toBe(lake.etags['shared/countries.csv']);
    expect(model.writable).toBe(true);
  });

  it('saves back over the version it read, and tells that the file changed', async () => {
    const lake = fakeLake({ 'mine/notes.txt': 'first' });
    const { drive, contents } = driveOn(lake);
    const opened = await contents.get('datalake:mine/notes.txt');
    const changes: string[] = [];
    contents.fileChanged.connect((_, change) =>
      changes.push(`${change.type} ${change.newValue?.path}`)
    );
    const saved = await contents.save('datalake:mine/notes.txt', {
      type: 'file',
      format: 'text',
      content: 'second'
    });
    expect(lake.saves).toEqual([{ path: 'mine/notes.txt', etag: opened.hash }]);
    expect(saved.hash).not.toBe(opened.hash);
    expect(changes).toEqual(['save datalake:mine/notes.txt']);
    // The next save names the ETag of the save before it.
    await drive.save('mine/notes.txt', { type: 'file', content: 'third' });
    expect(lake.saves[1].etag).toBe(saved.hash);
  });

  it('does not overwrite an object changed underneath: the save fails with 412', async () => {
    const lake = fakeLake({ 'shared/table.csv': 'a\n1\n' });
    const { contents } = driveOn(lake);
    await contents.get('datalake:shared/table.csv');
    lake.write('shared/table.csv', 'a\n1\n2\n');
    const save = contents.save('datalake:shared/table.csv', {
      type: 'file',
      format: 'text',
      content: 'mine'
    });
    await expect(save).rejects.toBeInstanceOf(LakeDriveError);
    await expect(save).rejects.toMatchObject({
      response: { status: 412 },
      message: 'shared/table.csv changed in the data lake'
    });
  });

  it("overwrites, once asked, the version JupyterLab's check last saw", async () => {
    const lake = fakeLake({ 'shared/table.csv': 'a\n' });
    const { contents } = driveOn(lake);
    const opened = await contents.get('datalake:shared/table.csv');
    lake.write('shared/table.csv', 'b\n');
    // The document context's look before saving sees the new hash and asks the user.
    const seen = await contents.get('datalake:shared/table.csv', {
      content: false
    });
    expect(seen.hash).not.toBe(opened.hash);
    await contents.save('datalake:shared/table.csv', {
      type: 'file',
      content: 'mine'
    });
    expect(lake.saves.map(s => s.etag)).toEqual([seen.hash]);
  });

  it('reports a missing object as the 404 JupyterLab looks for', async () => {
    const { contents } = driveOn(fakeLake({}));
    await expect(
      contents.get('datalake:shared/gone.csv')
    ).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('refuses what the lake panel does instead, and keeps no checkpoints', async () => {
    const { drive, contents } = driveOn(fakeLake({ 'shared/a.csv': 'x' }));
    await expect(
      contents.rename('datalake:shared/a.csv', 'datalake:shared/b.csv')
    ).rejects.toThrow('use the data lake panel');
    await expect(contents.delete('datalake:shared/a.csv')).rejects.toThrow(
      'use the data lake panel'
    );
    await expect(
      contents.newUntitled({ path: 'datalake:shared' })
    ).rejects.toThrow('use the data lake panel');
    expect(await drive.listCheckpoints()).toEqual([]);
    expect((await drive.createCheckpoint()).id).toBeTruthy();
  });

  it("downloads through the server's download, with no token in the URL", async () => {
    const { contents } = driveOn(fakeLake({ 'mine/r&d 1.csv': 'x' }));
    const url = new URL(
      await contents.getDownloadUrl('datalake:mine/r&d 1.csv')
    );
    expect(url.pathname).toBe('/user/ada/datalake/objects/download');
    expect(url.searchParams.get('area')).toBe('mine');
    expect(url.searchParams.get('key')).toBe('users/ada/r&d 1.csv');
    expect(url.searchParams.has('token')).toBe(false);
  });
});
