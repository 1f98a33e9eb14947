import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';

const PANEL_ID = 'jp-datalake-storage';
const QUOTA = 20 * 1024 * 1024; // set in jupyter_server_test_config.py

/** A notebook of about `bytes` bytes: one cell whose output is a long text. */
function notebook(bytes: number) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        cell_type: 'code',
        id: 'big-output',
        execution_count: 1,
        metadata: {},
        source: 'print(data)',
        outputs: [
          { output_type: 'stream', name: 'stdout', text: 'x'.repeat(bytes) }
        ]
      }
    ]
  };
}

/** Save a notebook the way the notebook editor does: through the browser's contents manager. */
/**
 * Save a new notebook that takes about `diskBytes` of home. Its first save also writes a
 * checkpoint of the same size, and usage counts both, as `du` does: the notebook is half.
 */
async function saveNotebook(
  page: IJupyterLabPageFixture,
  path: string,
  diskBytes: number
) {
  const bytes = Math.round(diskBytes / 2);
  await page.evaluate(
    async ({ path, content }) => {
      await (window as any).jupyterapp.serviceManager.contents.save(path, {
        type: 'notebook',
        format: 'json',
        content
      });
    },
    { path, content: notebook(bytes) }
  );
}

async function usedBytes(page: IJupyterLabPageFixture): Promise<number> {
  const value = await page
    .locator('.jp-DataLake-used')
    .getAttribute('data-bytes');
  return Number(value);
}

function toasts(page: IJupyterLabPageFixture, text: RegExp) {
  return page.locator('.Toastify__toast').filter({ hasText: text });
}

/** Start from an empty trash, so that earlier tests' deleted files do not count. */
async function startClean(page: IJupyterLabPageFixture) {
  await page.request.post('/datalake/trash/empty');
  await page.sidebar.openTab(PANEL_ID);
  await expect(page.locator('.jp-DataLake-used')).toBeVisible();
  await page.getByTitle('Scan home again').click();
  await expect(page.getByTitle('Scan home again')).toBeEnabled();
}

async function cleanUp(page: IJupyterLabPageFixture, tmpPath: string) {
  for (const name of ['a.ipynb', 'b.ipynb', 'c.ipynb']) {
    await page.request.delete(`/api/contents/${tmpPath}/${name}`);
  }
  await page.request.post('/datalake/trash/empty');
}

test.describe('Quota warnings on save', () => {
  test.beforeEach(({ page }) => startClean(page));
  test.afterEach(({ page, tmpPath }) => cleanUp(page, tmpPath));

  test('warns once when a save crosses 80%, not again at 81%, then errs at 95%', async ({
    page,
    tmpPath
  }) => {
    const warning = /Your home is \d+% full/;
    const critical = /Your home is almost full/;
    const base = await usedBytes(page);
    expect(base / QUOTA).toBeLessThan(0.5);

    // 1. A notebook that takes usage to about 81%.
    await saveNotebook(
      page,
      `${tmpPath}/a.ipynb`,
      Math.round(0.81 * QUOTA - base)
    );
    await expect(toasts(page, warning)).toHaveCount(1);
    await expect(toasts(page, warning).first()).toContainText(
      'Open Storage panel'
    );
    await expect(toasts(page, warning).first()).toContainText(
      'Show largest files'
    );
    const afterFirst = await usedBytes(page);
    expect(afterFirst / QUOTA).toBeGreaterThanOrEqual(0.8);
    expect(afterFirst / QUOTA).toBeLessThan(0.95);

    // 2. A small save that stays between 80% and 95%: no new notification.
    await saveNotebook(page, `${tmpPath}/b.ipynb`, Math.round(0.01 * QUOTA));
    await expect.poll(() => usedBytes(page)).toBeGreaterThan(afterFirst);
    await expect(toasts(page, warning)).toHaveCount(1);
    await expect(toasts(page, critical)).toHaveCount(0);

    // 3. Crossing 95% is an error, with the same actions.
    const now = await usedBytes(page);
    await saveNotebook(
      page,
      `${tmpPath}/c.ipynb`,
      Math.round(0.96 * QUOTA - now)
    );
    await expect(toasts(page, critical)).toHaveCount(1);
    await expect(toasts(page, critical).first()).toContainText('Free space');
    await expect(page.locator('.jp-DataLake-statusButton')).toHaveAttribute(
      'data-level',
      'critical'
    );

    // "Show largest files" brings the panel's list of the largest files into view.
    await toasts(page, critical)
      .first()
      .getByText('Show largest files')
      .click();
    await expect(
      page
        .getByRole('list', { name: 'Largest files' })
        .getByText(`${tmpPath}/c.ipynb`)
    ).toBeVisible();
  });
});

test.describe('Quota warnings in do-not-disturb mode', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      '@jupyterlab/apputils-extension:notification': {
        ...galata.DEFAULT_SETTINGS[
          '@jupyterlab/apputils-extension:notification'
        ],
        doNotDisturbMode: true
      }
    }
  });
  test.beforeEach(({ page }) => startClean(page));
  test.afterEach(({ page, tmpPath }) => cleanUp(page, tmpPath));

  test('shows no toast but keeps the warning in the notification centre', async ({
    page,
    tmpPath
  }) => {
    const base = await usedBytes(page);
    await saveNotebook(
      page,
      `${tmpPath}/a.ipynb`,
      Math.round(0.81 * QUOTA - base)
    );
    await expect(page.locator('.jp-DataLake-statusButton')).toHaveAttribute(
      'data-level',
      'warning'
    );
    await expect(toasts(page, /Your home is/)).toHaveCount(0);
    await page.locator('.jp-Notification-Status').click();
    await expect(
      page.locator('.jp-Notification-List').getByText(/Your home is \d+% full/)
    ).toBeVisible();
  });
});
