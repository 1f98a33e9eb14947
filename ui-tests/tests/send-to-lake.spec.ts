import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const PANEL_ID = 'jp-datalake-storage';
const HOME = process.env.DATALAKE_UI_HOME as string;

/**
 * The object as S3 holds it, read with boto3 by a separate process, with the same
 * credentials the server has (scripts/test.sh exports them).
 */
function readObject(key: string): Buffer {
  const script = [
    'import os, sys, boto3',
    's3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])',
    'body = s3.get_object(Bucket="datalake", Key=sys.argv[1])["Body"].read()',
    'sys.stdout.buffer.write(body)'
  ].join('\n');
  return execFileSync(process.env.PYTHON || 'python', ['-c', script, key], {
    maxBuffer: 64 * 1024 * 1024
  });
}

function deleteObject(key: string): void {
  const script = [
    'import os, sys, boto3',
    's3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])',
    's3.delete_object(Bucket="datalake", Key=sys.argv[1])'
  ].join('\n');
  execFileSync(process.env.PYTHON || 'python', ['-c', script, key]);
}

test.describe('Send to data lake', () => {
  const name = `measurements-${crypto.randomBytes(4).toString('hex')}.csv`;
  const key = `shared/${name}`;

  test.afterEach(() => {
    deleteObject(key);
  });

  test('right-click, Shared, progress, notification, byte-exact, copy URI', async ({
    page,
    context,
    tmpPath
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    // Big enough for a multipart upload with visible progress.
    const data = crypto.randomBytes(12 * 1024 * 1024);
    // Galata opens the file browser in a folder of the test's own.
    fs.writeFileSync(path.join(HOME, tmpPath, name), data);
    await page.filebrowser.refresh();

    const item = page.locator(`.jp-DirListing-item[title^="Name: ${name}"]`);
    await item.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Send to data lake' }).click();

    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: /Shared/ }).check();
    // The dialog shows where the file goes before anything starts.
    await expect(dialog).toContainText(key);
    await dialog.getByRole('button', { name: /^Send/ }).click();

    // The panel's Transfers section shows the transfer, then it is done.
    await page.sidebar.openTab(PANEL_ID);
    const row = page.locator('.jp-DataLake-transfer').first();
    await expect(row).toContainText(name);
    await expect(row).toHaveAttribute('data-state', 'done', {
      timeout: 60 * 1000
    });

    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: `Sent ${name}` });
    await expect(toast).toBeVisible({ timeout: 30 * 1000 });

    expect(readObject(key).equals(data)).toBe(true);

    await toast.getByText('Copy s3a:// URI').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`s3a://datalake/${key}`);
  });
});
