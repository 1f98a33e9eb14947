import { expect, test } from '@jupyterlab/galata';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
  deletePrefix,
  HOME,
  openShared,
  PANEL_ID,
  putObject,
  readObject,
  row
} from './lake';

test.describe('Data lake browser', () => {
  const top = `ui-${crypto.randomBytes(4).toString('hex')}`;
  const data = crypto.randomBytes(300 * 1024);
  const theirs = `shared/${top}/projects/q3/colleague.csv`;
  const mine = `shared/${top}/projects/q3/mine.csv`;

  test.beforeAll(() => {
    const file = path.join(os.tmpdir(), `${top}.csv`);
    fs.writeFileSync(file, data);
    putObject(theirs, file, 'someone-else');
    putObject(mine, file, 'galata');
    fs.rmSync(file);
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('navigates two folders deep and downloads into home, byte-exact', async ({
    page,
    tmpPath
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    await row(browser, `shared/${top}/projects/`).dblclick();
    // Keyboard works as well as the mouse.
    await row(browser, `shared/${top}/projects/q3/`).focus();
    await page.keyboard.press('Enter');
    const found = row(browser, theirs);
    await expect(found).toBeVisible();
    await expect(browser.locator('.jp-DataLake-crumbs')).toContainText('q3');

    // The user's own object can be deleted...
    await expect(
      row(browser, mine).getByRole('button', { name: 'Delete mine.csv' })
    ).toBeVisible();
    // Someone else's upload: Delete is there but disabled, saying whose it is and why.
    const theirDelete = found.getByRole('button', {
      name: 'Delete colleague.csv'
    });
    await expect(theirDelete).toBeDisabled();
    await expect(theirDelete).toHaveAttribute(
      'title',
      /in Shared you can delete only what you uploaded/
    );

    // For the README: the panel two folders deep at the default sidebar width, pointer away.
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement)?.blur());
    await page
      .locator(`#${PANEL_ID}`)
      .screenshot({ path: '../docs/images/lake-browser.png' });

    await found
      .getByRole('button', { name: 'Download colleague.csv to home' })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toBeVisible();
    // The dialog proposes the file browser's folder, the test's own.
    await dialog.getByRole('button', { name: /^Download/ }).click();

    // The data lake panel shares the left sidebar with the file browser.
    await page.sidebar.openTab('filebrowser');
    const listed = page.locator(
      '.jp-DirListing-item[title^="Name: colleague.csv"]'
    );
    await expect(listed).toBeVisible({ timeout: 60 * 1000 });
    expect(
      fs.readFileSync(path.join(HOME, tmpPath, 'colleague.csv')).equals(data)
    ).toBe(true);
  });

  test('uploads a file from the computer into the open folder', async ({
    page
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    const upload = crypto.randomBytes(6 * 1024 * 1024 + 11);
    const local = path.join(os.tmpdir(), `${top}-from-desktop.bin`);
    fs.writeFileSync(local, upload);
    try {
      await browser.locator('.jp-DataLake-uploadInput').setInputFiles(local);
      const key = `shared/${top}/${top}-from-desktop.bin`;
      await expect(row(browser, key)).toBeVisible({ timeout: 60 * 1000 });
      expect(readObject(key).equals(upload)).toBe(true);
    } finally {
      fs.rmSync(local, { force: true });
    }
  });
});
