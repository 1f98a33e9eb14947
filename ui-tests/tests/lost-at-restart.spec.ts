import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

const PANEL_ID = 'jp-datalake-storage';
const HOME = process.env.DATALAKE_UI_HOME as string;

async function openLostAtRestart(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(PANEL_ID);
  const section = page.getByRole('region', { name: 'Lost at restart' });
  await expect(section).toBeVisible();
  return section;
}

test.describe('Lost at restart', () => {
  const name = `results-${process.pid}.csv`;
  const inTmp = path.join('/tmp', name);

  test.afterEach(() => {
    fs.rmSync(inTmp, { force: true });
    fs.rmSync(path.join(HOME, 'rescued'), { recursive: true, force: true });
  });

  test('shows a file written to /tmp, and moves it into home', async ({
    page
  }) => {
    // As a kernel or a terminal would: straight to the file system, not through JupyterLab.
    fs.writeFileSync(inTmp, 'id,value\n'.repeat(100 * 1024));
    const section = await openLostAtRestart(page);
    // Other things may be bigger in /tmp: list everything, as a user looking for a file would.
    const showAll = section.getByRole('button', { name: /^Show all/ });
    await expect(showAll.or(section.getByText(name)).first()).toBeVisible({
      timeout: 60 * 1000
    });
    if (await showAll.isVisible()) {
      await showAll.click();
    }
    const list = section.getByRole('list', { name: 'Lost at restart in /tmp' });
    const entry = list.locator('li').filter({ hasText: name });
    // The first look walks all of /tmp, which on a busy machine takes a while.
    await expect(entry).toBeVisible({ timeout: 60 * 1000 });
    await expect(entry).toContainText('900 KiB');

    await entry
      .getByRole('button', { name: `Move ${inTmp} into home` })
      .click();
    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'into your home' });
    await expect(toast).toBeVisible();
    await expect(entry).toHaveCount(0);
    expect(fs.existsSync(inTmp)).toBe(false);
    expect(fs.readFileSync(path.join(HOME, 'rescued', name), 'utf8')).toBe(
      'id,value\n'.repeat(100 * 1024)
    );

    // The file browser shows it where it went.
    await toast.getByText('Show in file browser').click();
    await expect(page.locator('.jp-FileBrowser .jp-BreadCrumbs')).toContainText(
      'rescued'
    );
    await expect(
      page.locator(`.jp-DirListing-item[title^="Name: ${name}"]`)
    ).toBeVisible();
  });

  test('warns when a saved notebook writes to /tmp', async ({
    page,
    tmpPath
  }) => {
    await page.notebook.createNew('export.ipynb');
    await page.notebook.setCell(0, 'code', "df.to_csv('/tmp/out.csv')");
    await page.notebook.save();
    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'which a restart deletes' });
    await expect(toast).toHaveCount(1);
    // Home as ~, so that the advice is not cut off, in the toast or in the centre.
    await expect(toast).toContainText(
      'export.ipynb (cell 1, line 1) writes to /tmp/out.csv, which a restart deletes. Use ~/tmp/out.csv instead.'
    );

    // Saved again, the line unchanged: no second warning. Changed: one about it.
    await page.notebook.save();
    await page.notebook.setCell(0, 'code', "df.to_csv('/tmp/out2.csv')");
    await page.notebook.save();
    await page.locator('.jp-Notification-Status').click();
    const warnings = page
      .locator('.jp-Notification-List-Item')
      .filter({ hasText: 'which a restart deletes' });
    await expect(warnings).toHaveCount(2);
    await expect(warnings.filter({ hasText: 'out2.csv' })).toContainText(
      'export.ipynb (cell 1, line 1) writes to /tmp/out2.csv, which a restart deletes. Use ~/tmp/out2.csv instead.'
    );
  });
});
