/**
 * Rename, new folder, move and share link inside the lake, run as the lake panel's context
 * menu runs them: through the commands, with their ids and arguments. What lands in the
 * bucket is checked with boto3 in a separate process, as a colleague would see it.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as http from 'http';

import { deletePrefix, readObject, s3 } from './lake';

/** Put an object with the bytes given, as the UI user ("galata") uploaded it. */
function put(key: string, data: Buffer): void {
  execFileSync(
    process.env.PYTHON || 'python',
    [
      '-c',
      [
        'import os, sys, boto3',
        's3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])',
        's3.put_object(Bucket="datalake", Key=sys.argv[1], Body=sys.stdin.buffer.read(), Metadata={"uploader": "galata"})'
      ].join('\n'),
      key
    ],
    { input: data }
  );
}

function keysUnder(prefix: string): string[] {
  const out = s3(
    [
      'keys = []',
      'for page in s3.get_paginator("list_objects_v2").paginate(Bucket="datalake", Prefix=sys.argv[1]):',
      '    keys += [o["Key"] for o in page.get("Contents", [])]',
      'print("\\n".join(sorted(keys)))'
    ].join('\n'),
    prefix
  );
  return out.toString().split('\n').filter(Boolean);
}

/** Run a command as a menu would, without waiting for the dialog it opens. */
async function run(
  page: IJupyterLabPageFixture,
  id: string,
  args: Record<string, unknown>
): Promise<void> {
  await page.evaluate(
    ({ id, args }) => {
      void (window as any).jupyterapp.commands.execute(id, args);
    },
    { id, args }
  );
}

/** A plain HTTP GET with Node's own client: no credentials, no cookies. */
function httpGet(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks)
          })
        );
      })
      .on('error', reject);
  });
}

test.describe('Working inside the lake', () => {
  const top = `ops-${crypto.randomBytes(4).toString('hex')}`;

  test.beforeEach(async ({ page }) => {
    // The commands need the status's areas; the panel's poll has them once it answered.
    await page.waitForFunction(() => {
      const app = (window as any).jupyterapp;
      return app.commands.hasCommand('datalake:lake-rename');
    });
    await page.evaluate(async () => {
      const app = (window as any).jupyterapp;
      await app.commands.execute('datalake:refresh-status');
    });
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('renames a file, keeping its bytes', async ({ page }) => {
    const data = crypto.randomBytes(2048);
    const old = `shared/${top}/draft.csv`;
    put(old, data);
    await run(page, 'datalake:lake-rename', { area: 'shared', key: old });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Rename draft.csv');
    const input = dialog.locator('input[type="text"]');
    await expect(input).toHaveValue('draft.csv');
    // The stem is selected: typing keeps the extension.
    await page.keyboard.type('final');
    await expect(input).toHaveValue('final.csv');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect
      .poll(() => keysUnder(`shared/${top}/`), { timeout: 30 * 1000 })
      .toEqual([`shared/${top}/final.csv`]);
    expect(readObject(`shared/${top}/final.csv`).equals(data)).toBe(true);
  });

  test('makes a new folder', async ({ page }) => {
    await run(page, 'datalake:lake-new-folder', {
      area: 'shared',
      prefix: top
    });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('New folder in Shared');
    await dialog.locator('input[type="text"]').fill('a/b');
    await expect(dialog).toContainText('cannot hold "/"');
    await dialog.locator('input[type="text"]').fill('results 2026');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => keysUnder(`shared/${top}/results 2026/`), {
        timeout: 30 * 1000
      })
      .toEqual([`shared/${top}/results 2026/`]);
  });

  test('moves a folder, asking about the clash', async ({ page }) => {
    const fresh = Buffer.from('id,v\n1,new\n');
    put(`shared/${top}/src/a.csv`, fresh);
    put(`shared/${top}/src/b.csv`, Buffer.from('id,v\n2,b\n'));
    put(`shared/${top}/dst/src/a.csv`, Buffer.from('id,v\n1,old\n'));
    await run(page, 'datalake:lake-move', {
      area: 'shared',
      keys: [`shared/${top}/src/`]
    });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Move src to…');
    await dialog.getByRole('radio', { name: /Shared/ }).check();
    await dialog.locator('input[type="text"]').fill(`${top}/dst`);
    // The plan shows the clash, and asks what to do with it.
    const clash = dialog.locator('.jp-DataLake-conflicts');
    await expect(clash).toContainText('1 of these exists already');
    await clash.getByRole('radio', { name: 'Overwrite' }).check();
    await dialog.getByRole('button', { name: /^Move/ }).click();
    await expect
      .poll(() => keysUnder(`shared/${top}/src/`), { timeout: 30 * 1000 })
      .toEqual([]);
    expect(keysUnder(`shared/${top}/dst/`)).toEqual([
      `shared/${top}/dst/src/a.csv`,
      `shared/${top}/dst/src/b.csv`
    ]);
    expect(readObject(`shared/${top}/dst/src/a.csv`).equals(fresh)).toBe(true);
  });

  test('copies a share link that a plain HTTP client downloads byte-exact', async ({
    page,
    context
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const data = crypto.randomBytes(100 * 1024);
    const key = `shared/${top}/report (v2).bin`;
    put(key, data);
    await run(page, 'datalake:lake-share-link', { area: 'shared', key });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Anyone with the link');
    await dialog.getByRole('radio', { name: '1 hour' }).check();
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    // No public endpoint is configured here: the confirmation says where the link works.
    await expect(
      page
        .locator('.Toastify__toast')
        .filter({ hasText: 'works only inside the cluster' })
    ).toBeVisible({ timeout: 30 * 1000 });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('X-Amz-Expires=3600');
    const { status, body } = await httpGet(copied);
    expect(status).toBe(200);
    expect(body.equals(data)).toBe(true);
  });
});
