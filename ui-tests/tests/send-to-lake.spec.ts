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
  const stem = `measurements-${crypto.randomBytes(4).toString('hex')}`;
  const name = `${stem}.csv`;
  const key = `shared/${name}`;

  test.afterEach(() => {
    deleteObject(key);
    deleteObject(`shared/${stem} (1).csv`);
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

    // The notification that said "Sending…" now says how it ended: there is no other.
    await expect(
      page.locator('.Toastify__toast').filter({ hasText: `Sending ${name}` })
    ).toHaveCount(0);

    await toast.getByText('Copy s3a:// URI').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`s3a://datalake/${key}`);
    // The copy is confirmed in passing, and leaves nothing in the notification centre.
    const confirmation = page
      .locator('.Toastify__toast')
      .filter({ hasText: `Copied s3a://datalake/${key}` });
    await expect(confirmation).toBeVisible();
    await expect(confirmation).toHaveCount(0, { timeout: 15 * 1000 });

    // The row says when the send started, exactly in its tooltip.
    await expect(row.locator('.jp-DataLake-transferWhen')).toHaveAttribute(
      'title',
      /^Started \d/
    );

    // Deleted from the lake meanwhile: a copy finds out, and says so.
    deleteObject(key);
    await row
      .getByRole('button', { name: `Copy the s3a:// URI of ${name}` })
      .click();
    await expect(row).toContainText(`${name} is no longer in the data lake.`);
    await expect(
      row.getByRole('button', { name: `Copy Python code that reads ${name}` })
    ).toBeDisabled();

    // One entry in the notification centre for the whole send: how it ended.
    await page.locator('.jp-Notification-Status').click();
    const entries = page
      .locator('.jp-Notification-List-Item')
      .filter({ hasText: name });
    await expect(entries).toHaveCount(1);
    await expect(entries).toContainText(`Sent ${name} to the data lake`);
  });

  test('Keep both says the new name before sending, and rows tell sends apart', async ({
    page,
    tmpPath
  }) => {
    fs.writeFileSync(path.join(HOME, tmpPath, name), 'id,value\n1,2\n');
    await page.filebrowser.refresh();
    const item = page.locator(`.jp-DirListing-item[title^="Name: ${name}"]`);
    const sendIt = async () => {
      await page.sidebar.openTab('filebrowser');
      await item.click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Send to data lake' }).click();
      const dialog = page.locator('.jp-Dialog');
      await dialog.getByRole('radio', { name: /Shared/ }).check();
      await expect(dialog).toContainText(key);
      return dialog;
    };
    const first = await sendIt();
    await first.getByRole('button', { name: /^Send/ }).click();
    await page.sidebar.openTab(PANEL_ID);
    // This test's sends: the first test sent a file of the same name from its own folder.
    const rows = page.locator('.jp-DataLake-transfer').filter({
      has: page.locator(
        `.jp-DataLake-transferName[title$="${tmpPath}/${name}"]`
      )
    });
    await expect(rows.first()).toHaveAttribute('data-state', 'done', {
      timeout: 60 * 1000
    });

    const again = await sendIt();
    const keepBoth = again.getByRole('radio', {
      name: `Keep both, the new one as ${stem} (1).csv`
    });
    await expect(keepBoth).toBeChecked();
    await again.getByRole('button', { name: /^Send/ }).click();
    await page.sidebar.openTab(PANEL_ID);
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toHaveAttribute('data-state', 'done', {
      timeout: 60 * 1000
    });
    await expect(rows.first()).toContainText(`shared/${stem} (1).csv`);
    expect(readObject(`shared/${stem} (1).csv`).toString()).toBe(
      'id,value\n1,2\n'
    );
    for (const row of await rows.all()) {
      await expect(row.locator('.jp-DataLake-transferWhen')).toHaveAttribute(
        'title',
        /^Started \d/
      );
    }
  });
});
