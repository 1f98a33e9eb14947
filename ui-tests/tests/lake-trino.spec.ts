/**
 * "Copy Trino table" and "Search below" in the lake panel, against the real S3 server: the
 * statement for a seeded CSV folder, read in its dialog and on the clipboard, from the folder's
 * context menu and from the Transfers row of a folder sent from home; and a search that finds
 * names two folders down.
 */
import { expect, test } from '@jupyterlab/galata';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { deletePrefix, HOME, openShared, putObject, row } from './lake';

function seed(key: string, text: string): void {
  const file = path.join(
    os.tmpdir(),
    `seed-${crypto.randomBytes(4).toString('hex')}`
  );
  fs.writeFileSync(file, text);
  putObject(key, file, 'galata');
  fs.rmSync(file);
}

/** The statement the server makes for a folder of CSV files with this header. */
function expected(folderKey: string, table: string): string {
  return [
    `CREATE TABLE "hive"."default"."${table}" (`,
    '  "order_id" VARCHAR,',
    '  "city" VARCHAR,',
    '  "amount_eur" VARCHAR',
    ')',
    'WITH (',
    `  external_location = 's3a://datalake/${folderKey}',`,
    "  format = 'CSV',",
    '  skip_header_line_count = 1',
    ')'
  ].join('\n');
}

const HEADER = 'Order ID,City,Amount (EUR)\n';

test.describe('Copy Trino table', () => {
  const top = `trino-${crypto.randomBytes(4).toString('hex')}`;
  const folderKey = `shared/${top}/sales/`;

  test.beforeAll(() => {
    seed(`${folderKey}2026-01.csv`, HEADER + '1,Lyon,9.50\n2,Oslo,3\n');
    seed(`${folderKey}2026-02.csv`, HEADER + '3,Lima,12\n');
    seed(`shared/${top}/deep/er/Sales-Report.txt`, 'x');
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('the folder menu shows the statement and copies it', async ({
    page,
    context
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    await row(browser, folderKey).click({ button: 'right' });
    const menu = page.locator('.lm-Menu').last();
    await menu.getByRole('menuitem', { name: /^Copy Trino Table/ }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Trino reads the 2 CSV files');
    const statement = dialog.locator('.jp-DataLake-trinoStatement');
    expect(await statement.textContent()).toBe(expected(folderKey, 'sales'));
    await dialog.getByRole('button', { name: 'Copy statement' }).click();
    await expect(
      page
        .locator('.Toastify__toast')
        .filter({ hasText: 'Copied CREATE TABLE hive.default.sales' })
    ).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(expected(folderKey, 'sales'));
  });

  test('a folder it cannot read as one table is refused, saying why', async ({
    page
  }) => {
    seed(`shared/${top}/mixed/a.csv`, 'a\n1\n');
    seed(`shared/${top}/mixed/b.csv`, 'b\n2\n');
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    await row(browser, `shared/${top}/mixed/`).click({ button: 'right' });
    const menu = page.locator('.lm-Menu').last();
    await menu.getByRole('menuitem', { name: /^Copy Trino Table/ }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(`No Trino table for ${top}/mixed`, {
      timeout: 30 * 1000
    });
    await expect(dialog).toContainText(
      'The CSV files do not share one header, so they cannot be one table (a.csv: a; b.csv: b).'
    );
    await dialog.getByRole('button', { name: 'OK' }).click();
  });

  test('the Transfers row of a folder sent from home offers it too', async ({
    page,
    tmpPath
  }) => {
    const name = `${top}-sent`;
    const local = path.join(HOME, tmpPath, name);
    fs.mkdirSync(local);
    fs.writeFileSync(path.join(local, 'a.csv'), HEADER + '1,Rome,2\n');
    fs.writeFileSync(path.join(local, 'b.csv'), HEADER + '2,Kyiv,3\n');
    await page.filebrowser.refresh();
    try {
      await page
        .locator(`.jp-DirListing-item[title^="Name: ${name}"]`)
        .click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Send to data lake' }).click();
      const send = page.locator('.jp-Dialog');
      await send.getByRole('radio', { name: /Shared/ }).check();
      await send.getByRole('button', { name: /^Send/ }).click();

      // The Transfers section is the Storage panel's (PANEL_ID in src/tokens.ts).
      await page.sidebar.openTab('jp-datalake-storage');
      const transfer = page
        .locator('.jp-DataLake-transfer')
        .filter({ hasText: name })
        .first();
      await expect(transfer).toHaveAttribute('data-state', 'done', {
        timeout: 60 * 1000
      });
      await transfer
        .getByRole('button', { name: `Copy a Trino table over ${name}` })
        .click();
      const dialog = page.locator('.jp-Dialog');
      const table = name.replace(/-/g, '_');
      expect(
        await dialog.locator('.jp-DataLake-trinoStatement').textContent()
      ).toBe(expected(`shared/${name}/`, table));
      await dialog.getByRole('button', { name: 'Close' }).click();
    } finally {
      deletePrefix(`shared/${name}/`);
    }
  });
});

test.describe('Search below', () => {
  const top = `find-${crypto.randomBytes(4).toString('hex')}`;

  test.beforeAll(() => {
    seed(`shared/${top}/a/b/Quarterly-Report.csv`, 'x');
    seed(`shared/${top}/a/report-notes.txt`, 'x');
    seed(`shared/${top}/other.csv`, 'x');
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('finds names in folders below, and opens a match’s folder', async ({
    page
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    await browser
      .getByRole('searchbox', { name: 'Filter by name' })
      .fill('REPORT');
    await browser.getByRole('button', { name: 'Search below' }).click();
    const results = browser.locator('.jp-DataLake-search');
    await expect(results.locator('.jp-DataLake-searchSummary')).toHaveText(
      '2 matches in 3 objects searched.'
    );
    await expect(results.locator('.jp-DataLake-searchMatch')).toHaveText([
      /a\/b\/Quarterly-Report\.csv/,
      /a\/report-notes\.txt/
    ]);
    await results.locator('.jp-DataLake-searchMatch').first().click();
    await expect(results).toHaveCount(0);
    await expect(
      row(browser, `shared/${top}/a/b/Quarterly-Report.csv`)
    ).toBeVisible();
  });
});
