import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const PANEL_ID = 'jp-datalake-storage';
const HOME = process.env.DATALAKE_UI_HOME as string;

/** `du -sxB1 HOME`: the reference the panel's figure must agree with. */
function du(): number {
  return Number(execFileSync('du', ['-sxB1', HOME]).toString().split(/\s+/)[0]);
}

/** The panel's formatting of a byte count, which the test mirrors to compare with du. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) {
    return `${Math.round(value)} B`;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

async function openStoragePanel(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.getByRole('region', { name: 'Storage' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('meter', { name: 'Home usage' })).toBeVisible();
  return panel;
}

async function usedBytes(page: IJupyterLabPageFixture): Promise<number> {
  const value = await page
    .getByRole('region', { name: 'Storage' })
    .locator('.jp-DataLake-used')
    .getAttribute('data-bytes');
  return Number(value);
}

async function rescan(page: IJupyterLabPageFixture): Promise<void> {
  const panel = page.getByRole('region', { name: 'Storage' });
  const done = page.waitForResponse(
    response =>
      response.url().includes('/datalake/usage?refresh=1') && response.ok()
  );
  await panel.getByTitle('Scan home again').click();
  await done;
  await expect(panel.getByTitle('Scan home again')).toBeEnabled();
}

test.describe('Home usage', () => {
  test('shows the same used figure as du', async ({ page }) => {
    const panel = await openStoragePanel(page);
    await rescan(page);
    const expected = du();
    await expect(panel.locator('.jp-DataLake-used')).toHaveText(
      formatBytes(expected)
    );
    await expect(panel.getByText('Quota 20 MiB')).toBeVisible();
    await panel.screenshot({
      path: path.resolve(
        __dirname,
        '..',
        '..',
        'docs',
        'images',
        'storage-usage.png'
      )
    });
  });

  test('grows after a 5 MiB save without a manual refresh', async ({
    page,
    tmpPath
  }) => {
    await openStoragePanel(page);
    await rescan(page);
    const before = await usedBytes(page);
    // Save the way a JupyterLab document does: through the browser's contents manager.
    await page.evaluate(async target => {
      await (window as any).jupyterapp.serviceManager.contents.save(target, {
        type: 'file',
        format: 'text',
        content: 'x'.repeat(5 * 1024 * 1024)
      });
    }, `${tmpPath}/big-save.txt`);
    await expect
      .poll(() => usedBytes(page), { timeout: 15 * 1000 })
      .toBeGreaterThanOrEqual(before + 5 * 1024 * 1024);
    const panel = page.getByRole('region', { name: 'Storage' });
    await expect(
      panel
        .getByRole('list', { name: 'Largest files' })
        .getByText(`${tmpPath}/big-save.txt`)
    ).toBeVisible();
  });

  test('deleting moves a file into the trash; emptying the trash lowers usage', async ({
    page,
    tmpPath
  }) => {
    const name = 'to-delete.bin';
    fs.writeFileSync(
      path.join(HOME, tmpPath, name),
      Buffer.alloc(3 * 1024 * 1024, 7)
    );
    await page.filebrowser.openDirectory(tmpPath);
    await page.filebrowser.refresh();
    const item = page.locator(`.jp-DirListing-item[title^="Name: ${name}"]`);
    await item.click({ button: 'right' });
    // JupyterLab names the action "Move to Trash" when the server deletes to the trash.
    await page
      .getByRole('menuitem', { name: /^(Move to Trash|Delete)/ })
      .click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: /^(Move to Trash|Delete)$/ })
      .click();
    await expect(item).toHaveCount(0);

    const panel = await openStoragePanel(page);
    await rescan(page);
    await expect(panel.locator('.jp-DataLake-trashText')).toContainText(
      'still counted in home'
    );
    const before = await usedBytes(page);

    await panel.getByRole('button', { name: 'Empty trash' }).click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Empty trash' })
      .click();
    await expect(panel.locator('.jp-DataLake-trashText')).toHaveText(
      'Trash is empty'
    );
    expect(await usedBytes(page)).toBeLessThanOrEqual(before - 3 * 1024 * 1024);
    expect(await usedBytes(page)).toBe(du());
  });

  test('the status bar item shows usage and opens the panel', async ({
    page
  }) => {
    const item = page.locator('.jp-DataLake-statusButton');
    await expect(item).toHaveText(
      /^Home (\d+(\.\d)?|\d+(\.\d)? KiB) \/ 20 MiB$/
    );
    await expect(page.getByRole('region', { name: 'Storage' })).toBeHidden();
    await item.click();
    await expect(page.getByRole('region', { name: 'Storage' })).toBeVisible();
  });
});
