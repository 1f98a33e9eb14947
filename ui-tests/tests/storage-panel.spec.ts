import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PANEL_ID = 'jp-datalake-storage';
const LAKE_ID = 'jp-datalake-lake';

/** Stop or start the test S3 gateway (Ceph RGW) that the Jupyter server talks to. */
function rgw(command: 'gateway-stop' | 'gateway-start'): void {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'rgw.sh'), command], {
    stdio: 'inherit',
    timeout: 120 * 1000
  });
}

async function openStoragePanel(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.getByRole('region', { name: 'Storage' });
  await expect(panel).toBeVisible();
  return panel;
}

/** The data lake panel, which holds the connection since the lake has a panel of its own. */
async function openLakePanel(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(LAKE_ID);
  const panel = page.getByRole('region', { name: 'Data lake', exact: true });
  await expect(panel).toBeVisible();
  return panel;
}

test.describe('Storage panel', () => {
  test('has a Storage tab and a Data lake tab in the left sidebar', async ({
    page
  }) => {
    const tab = page.locator(`.jp-SideBar.jp-mod-left [data-id="${PANEL_ID}"]`);
    await expect(tab).toBeVisible();
    await expect(tab).toHaveAttribute('title', 'Storage');
    const lake = page.locator(`.jp-SideBar.jp-mod-left [data-id="${LAKE_ID}"]`);
    await expect(lake).toBeVisible();
    await expect(lake).toHaveAttribute('title', 'Data lake');
  });

  test('shows home, transfers and what is lost at restart, and no lake', async ({
    page
  }) => {
    // Tall enough for the whole panel in the README's screenshot.
    await page.setViewportSize({ width: 1280, height: 1600 });
    const panel = await openStoragePanel(page);
    await expect(panel.locator('.jp-DataLake-usage')).toBeVisible();
    await expect(panel.locator('.jp-DataLake-lakeBrowser')).toHaveCount(0);
    await expect(panel.getByText('Looking…')).toHaveCount(0, {
      timeout: 60 * 1000
    });
    await panel.locator('.jp-DataLake-panelContent').screenshot({
      path: path.join(ROOT, 'docs', 'images', 'storage-panel.png')
    });
  });

  test('shows the data lake connected, in the data lake panel', async ({
    page
  }) => {
    const panel = await openLakePanel(page);
    const state = panel.locator('.jp-DataLake-connectionState');
    await expect(state).toHaveText('Connected');
    await expect(state).toHaveAttribute('data-state', 'ok');
    await expect(
      panel.locator('dd').filter({ hasText: /^datalake$/ })
    ).toBeVisible();
    await expect(panel.getByText('users/galata/')).toBeVisible();
    await expect(panel.getByText('shared/', { exact: true })).toBeVisible();
  });

  test('follows the dark theme', async ({ page }) => {
    const panel = await openStoragePanel(page);
    const background = () =>
      panel.evaluate(node => getComputedStyle(node).backgroundColor);
    const light = await background();
    await page.theme.setDarkTheme();
    const dark = await background();
    expect(dark).not.toEqual(light);
    // The dark theme's layout colour is dark: every RGB channel well below half.
    const channels = (dark.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    expect(Math.max(...channels)).toBeLessThan(100);
  });
});

test.describe('Storage panel, S3 down', () => {
  // Only the user's checks reach the gateway here: a poll of its own that came just after the
  // restart would reconnect before the test could press Retry.
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-datalake:plugin': { statusInterval: 3600 }
    }
  });

  test('explains that S3 is down, and recovers when it is back', async ({
    page
  }) => {
    const panel = await openLakePanel(page);
    const state = panel.locator('.jp-DataLake-connectionState');
    await expect(state).toHaveText('Connected');

    rgw('gateway-stop');
    try {
      await panel.getByTitle('Check the connection again').click();
      await expect(state).toHaveText('Data lake unreachable', {
        timeout: 30 * 1000
      });
      await expect(panel.getByText(/does not answer/)).toBeVisible();
      await expect(panel.getByText(/AWS_ENDPOINT_URL_S3/)).toBeVisible();
      await panel.screenshot({
        path: path.join(ROOT, 'docs', 'images', 'lake-panel-unreachable.png')
      });
    } finally {
      rgw('gateway-start');
    }

    await panel.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(state).toHaveText('Connected', {
      timeout: 30 * 1000
    });
    await expect(
      panel.getByRole('button', { name: 'Retry', exact: true })
    ).toHaveCount(0);
  });
});
