/**
 * A download to the computer must not put the server token in any URL: URLs are written to
 * the server's and proxies' logs and to the web browser's history. Galata's own server runs
 * without a token, where a token in a URL can never show, so this spec starts a Jupyter server
 * of its own that has one, as a user's server does. The user opens `/lab?token=…` once, which
 * sets the login cookie; from then on every request the page makes, the download included,
 * must be authenticated without the token in its URL.
 */
import { expect, test } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const PANEL_ID = 'jp-datalake-lake';

/** A TCP port that nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A Jupyter server with a token: Galata's server configuration (the extension, the S3
 * settings from the environment), with the token and the XSRF check that Galata turns off.
 * It gets a home of its own, so that it never shares a transfer journal with Galata's server.
 */
class TokenServer {
  readonly token = crypto.randomBytes(24).toString('hex');
  url = '';
  // Made at start, not here: Playwright also loads this file only to list its tests.
  private _home = '';
  private _process: ChildProcess | null = null;
  private _log = '';

  async start(): Promise<void> {
    this._home = fs.mkdtempSync(path.join(os.tmpdir(), 'datalake-ui-token-'));
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this._process = spawn(
      'jupyter-lab',
      [
        '--config',
        path.join(__dirname, '..', 'jupyter_server_test_config.py'),
        '--ServerApp.ip=127.0.0.1',
        `--ServerApp.port=${port}`,
        `--IdentityProvider.token=${this.token}`,
        '--ServerApp.disable_check_xsrf=False'
      ],
      {
        env: { ...process.env, HOME: this._home, DATALAKE_UI_HOME: this._home },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    const keep = (chunk: Buffer) => (this._log += chunk.toString());
    this._process.stdout?.on('data', keep);
    this._process.stderr?.on('data', keep);
    // `/api` answers without authentication once the server listens.
    for (let tries = 0; tries < 600; tries++) {
      if (this._process.exitCode !== null) {
        throw new Error(`The token server exited:\n${this._log}`);
      }
      try {
        if ((await fetch(`${this.url}/api`)).ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`The token server did not start:\n${this._log}`);
  }

  async stop(): Promise<void> {
    const child = this._process;
    if (child && child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (this._home) {
      fs.rmSync(this._home, { recursive: true, force: true });
    }
  }
}

/** Run boto3 in a separate process, with the credentials the server has, as a colleague. */
function s3(script: string, args: string[], input?: Buffer): void {
  const prelude = [
    'import os, sys, boto3',
    's3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])'
  ];
  execFileSync(
    process.env.PYTHON || 'python',
    ['-c', [...prelude, script].join('\n'), ...args],
    { input }
  );
}

test.describe('Download to the computer on a server with a token', () => {
  const server = new TokenServer();
  const top = `ui-token-${crypto.randomBytes(4).toString('hex')}`;
  const name = 'results 2024.csv';
  const key = `shared/${top}/${name}`;
  const data = crypto.randomBytes(200 * 1024);

  test.beforeAll(async () => {
    s3(
      's3.put_object(Bucket="datalake", Key=sys.argv[1], Body=sys.stdin.buffer.read(), Metadata={"uploader": "someone-else"})',
      [key],
      data
    );
    await server.start();
  });

  test.afterAll(async () => {
    await server.stop();
    s3('s3.delete_object(Bucket="datalake", Key=sys.argv[1])', [key]);
  });

  test('downloads an object with the login cookie, and no URL carries the token', async ({
    page
  }) => {
    // Every URL the page asks for, from the login on: requests (the download's among them),
    // downloads and websockets.
    const urls: string[] = [];
    page.on('request', request => urls.push(request.url()));
    page.on('websocket', socket => urls.push(socket.url()));
    page.on('download', download => urls.push(download.url()));

    // The one URL with the token: the link the user opens to log in.
    const login = `${server.url}/lab?token=${server.token}`;
    await page.goto(login);
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });

    await page
      .locator(`.jp-SideBar .lm-TabBar-tab[data-id="${PANEL_ID}"]`)
      .click();
    const browser = page.locator('.jp-DataLake-lakeBrowser');
    await expect(browser).toBeVisible({ timeout: 30 * 1000 });
    await browser.getByRole('tab', { name: 'Shared' }).click();
    await browser
      .locator(`.jp-DataLake-lakeRow[data-key="shared/${top}/"]`)
      .dblclick();
    const row = browser.locator(`.jp-DataLake-lakeRow[data-key="${key}"]`);
    await expect(row).toBeVisible();

    const downloading = page.waitForEvent('download');
    await row
      .getByRole('button', { name: `Download ${name} to my computer` })
      .click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(name);
    // A refused download fails instead of saving the server's error page.
    expect(await download.failure()).toBeNull();
    expect(fs.readFileSync(await download.path()).equals(data)).toBe(true);
    expect(new URL(download.url()).pathname).toBe('/datalake/objects/download');

    // The page's own calls to the server were made as well, not only the download.
    expect(urls.some(url => url.includes('/datalake/objects?'))).toBe(true);
    expect(urls.filter(url => url.includes(server.token))).toEqual([login]);
  });
});
