/**
 * Home usage stays current and says what it counts (issue 15, items 2 to 4): a file written
 * outside JupyterLab shows without a rescan (the home here is a tmpfs of its own, as a PVC is,
 * so the server watches the volume's used bytes); the status bar says the panel's figure; and
 * "Show" on a notebook checkpoint, a hidden path this server does not let the file browser show
 * (ContentsManager.allow_hidden is off, as by default), says so and shows the notebook instead.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

const PANEL_ID = 'jp-datalake-storage';
const HOME = process.env.DATALAKE_UI_HOME as string;
const MiB = 1024 * 1024;

async function openStoragePanel(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.getByRole('region', { name: 'Storage' });
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

test.describe('Home usage stays current', () => {
  test('a file written outside JupyterLab shows without a rescan', async ({
    page,
    tmpPath
  }) => {
    const panel = await openStoragePanel(page);
    const before = await usedBytes(page);
    const rescans: string[] = [];
    page.on('request', request => {
      if (request.url().includes('/datalake/usage?refresh=1')) {
        rescans.push(request.url());
      }
    });

    // As a terminal or a kernel would: straight to disk, no Contents API, no hook.
    fs.writeFileSync(
      path.join(HOME, tmpPath, 'from-a-terminal.bin'),
      Buffer.alloc(3 * MiB, 1)
    );

    await expect
      .poll(() => usedBytes(page), { timeout: 15 * 1000 })
      .toBeGreaterThanOrEqual(before + 3 * MiB);
    await expect(
      panel
        .getByRole('list', { name: 'Largest files' })
        .getByText(`${tmpPath}/from-a-terminal.bin`)
    ).toBeVisible();
    expect(rescans).toEqual([]);
  });

  test('the status bar says the figure the panel says', async ({ page }) => {
    const panel = await openStoragePanel(page);
    const used = (await panel.locator('.jp-DataLake-used').textContent()) ?? '';
    const [value, unit] = used.split(' ');
    // "Home 1.2 / 20 MiB" when both are MiB, else "Home 512 KiB / 20 MiB".
    const expected =
      unit === 'MiB' ? `Home ${value} / 20 MiB` : `Home ${used} / 20 MiB`;
    await expect(page.locator('.jp-DataLake-statusButton')).toHaveText(
      expected
    );
  });

  test('Show on a notebook checkpoint says why it is hidden and shows the notebook', async ({
    page,
    tmpPath
  }) => {
    const notebook = `${tmpPath}/big.ipynb`;
    // A notebook saved as JupyterLab saves one, which writes its checkpoint too.
    await page.evaluate(async target => {
      const contents = (window as any).jupyterapp.serviceManager.contents;
      await contents.save(target, {
        type: 'notebook',
        format: 'json',
        content: {
          cells: [
            {
              id: 'big',
              cell_type: 'markdown',
              metadata: {},
              source: 'x'.repeat(2 * 1024 * 1024)
            }
          ],
          metadata: {},
          nbformat: 4,
          nbformat_minor: 5
        }
      });
      await contents.createCheckpoint(target);
    }, notebook);

    const panel = await openStoragePanel(page);
    const checkpoints = panel.getByRole('list', {
      name: 'Notebook checkpoints'
    });
    await expect(
      checkpoints.getByText(`Notebook checkpoint of ${notebook}`)
    ).toBeVisible({ timeout: 15 * 1000 });
    await checkpoints
      .getByRole('button', {
        name: `Show ${tmpPath}/.ipynb_checkpoints/big-checkpoint.ipynb in file browser`
      })
      .click();

    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'is the notebook checkpoint of' });
    await expect(toast).toContainText(
      'big-checkpoint.ipynb is the notebook checkpoint of big.ipynb, a hidden file: this server hides those (ContentsManager.allow_hidden).'
    );
    await toast.getByRole('button', { name: 'Show big.ipynb' }).click();
    await expect(page.locator('.jp-FileBrowser .jp-BreadCrumbs')).toContainText(
      tmpPath
    );
    await expect(
      page.locator('.jp-DirListing-item[title^="Name: big.ipynb"]')
    ).toHaveClass(/jp-mod-selected/);
  });
});
