/**
 * An object above the server's open limit (`c.DataLake.open_limit`, 64 MiB here) is not
 * fetched whole into the browser: opening it says so and offers the downloads instead.
 */
import { expect, test } from '@jupyterlab/galata';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { deletePrefix, openShared, putObject, row } from './lake';

const MiB = 1024 * 1024;

test.describe('Opening a lake object above the open limit', () => {
  const top = `limit-${crypto.randomBytes(4).toString('hex')}`;
  const key = `shared/${top}/events.csv`;
  const size = 65 * MiB;

  test.beforeAll(() => {
    const file = path.join(os.tmpdir(), `lake-limit-${crypto.randomUUID()}`);
    const line = 'id,when,what\n';
    fs.writeFileSync(
      file,
      line.repeat(Math.ceil(size / line.length)).slice(0, size)
    );
    putObject(key, file, 'someone-else');
    fs.rmSync(file);
  });

  test.afterAll(() => deletePrefix(`shared/${top}/`));

  test('offers the downloads instead, and the download to the computer is whole', async ({
    page
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    await row(browser, key).focus();
    await page.keyboard.press('Enter');

    const toast = page.locator('.Toastify__toast', {
      hasText: 'more than JupyterLab opens whole'
    });
    await expect(toast).toBeVisible({ timeout: 15 * 1000 });
    await expect(toast).toContainText('events.csv holds 65 MiB');
    // Nothing was opened: no document tab for it.
    await expect(page.getByRole('tab', { name: /events\.csv/ })).toHaveCount(0);

    const download = page.waitForEvent('download');
    await toast
      .getByRole('button', { name: 'Download to my computer' })
      .click();
    const saved = await (await download).path();
    expect(fs.statSync(saved as string).size).toBe(size);
  });
});
