/**
 * The data lake panel as a file manager (issue 15, items 5, 6, 8, 9 and 15): a sidebar panel
 * of its own that also opens as a tab; JupyterLab's context menu and the keyboard on its rows;
 * drag and drop with the file browser both ways; sorting and filtering that cover a whole
 * folder of 1,200 objects; and names that stay readable at 250 px.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
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
  row,
  s3
} from './lake';

const TAB_ID = 'jp-datalake-lake-tab';

type Locator = ReturnType<IJupyterLabPageFixture['locator']>;

/** Double-click through the folders of `keys`, each a folder key of the one before. */
async function openFolders(browser: Locator, ...keys: string[]) {
  for (const key of keys) {
    await row(browser, key).dblclick();
  }
}

/** Run a command of JupyterLab as a menu or the palette would. */
function execute(page: IJupyterLabPageFixture, id: string) {
  return page.evaluate(
    command => (window as any).jupyterapp.commands.execute(command),
    id
  );
}

/** The rows' keys as shown, top to bottom. */
function keysShown(browser: Locator) {
  return browser.locator('.jp-DataLake-lakeRow').evaluateAll(rows =>
    rows
      .map(node => node as HTMLElement)
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map(node => node.dataset.key)
  );
}

test.describe('Data lake panel', () => {
  const top = `ui-panel-${crypto.randomBytes(4).toString('hex')}`;
  const data = crypto.randomBytes(64 * 1024);
  const folderKey = `shared/${top}/projects/`;
  const mine = `${folderKey}mine.csv`;
  const longFolder = `shared/${top}/datalake-demo-collection-of-features/`;
  const longName = `${longFolder}an-experiment-with-a-long-name_features_full.parquet`;

  test.beforeAll(() => {
    const file = path.join(os.tmpdir(), `${top}.csv`);
    fs.writeFileSync(file, data);
    putObject(mine, file, 'galata');
    putObject(longName, file, 'galata');
    fs.rmSync(file);
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('is a sidebar panel of its own, and opens as a tab for a wide view', async ({
    page
  }) => {
    const tab = page.locator(`.jp-SideBar.jp-mod-left [data-id="${PANEL_ID}"]`);
    await expect(tab).toHaveAttribute('title', 'Data lake');
    // The Storage panel no longer holds the lake.
    await page.sidebar.openTab('jp-datalake-storage');
    await expect(
      page.locator('#jp-datalake-storage .jp-DataLake-usage')
    ).toBeVisible();
    await expect(
      page.locator('#jp-datalake-storage .jp-DataLake-lakeBrowser')
    ).toHaveCount(0);

    const browser = await openShared(page);
    await expect(
      page.locator(`#${PANEL_ID} .jp-DataLake-connectionState`)
    ).toHaveAttribute('data-state', 'ok');
    await row(browser, `shared/${top}/`).dblclick();
    const narrow = await browser
      .locator('.jp-DataLake-lakeGrid')
      .evaluate(node => node.getBoundingClientRect().width);

    await execute(page, 'datalake:open-lake-tab');
    const wide = page.locator(`#jp-main-dock-panel #${TAB_ID}`);
    await expect(wide).toBeVisible();
    await expect(
      page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
        hasText: 'Data lake'
      })
    ).toBeVisible();
    // The same folder, in the room of the main area.
    await expect(row(wide, folderKey)).toBeVisible();
    const width = await wide
      .locator('.jp-DataLake-lakeGrid')
      .evaluate(node => node.getBoundingClientRect().width);
    // Wider than in the sidebar, with the preview pane beside it.
    expect(width).toBeGreaterThan(1.5 * narrow);

    // The tab comes back with the layout after a reload, once the layout has been saved.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const { workspaces } = (window as any).jupyterapp.serviceManager;
          return JSON.stringify((await workspaces.list()).values);
        })
      )
      .toContain('datalake-lake:lake');
    // Galata's reload waits for the Launcher to be the tab shown; the lake's tab is instead.
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect(wide).toBeVisible({ timeout: 30 * 1000 });
  });

  test('opens a context menu on folders and objects, and answers the keyboard', async ({
    page
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();

    // A folder: its URI and snippet too, but no download to the computer.
    await row(browser, folderKey).click({ button: 'right' });
    const menu = page.locator('.lm-Menu.jp-ThemedContainer, .lm-Menu').last();
    await expect(
      menu.getByRole('menuitem', { name: /^Download to Home/ })
    ).toBeVisible();
    await expect(
      menu.getByRole('menuitem', { name: /^Copy Python Snippet/ })
    ).toBeVisible();
    await expect(
      menu.getByRole('menuitem', { name: /^Download to My Computer/ })
    ).toHaveCount(0);
    await expect(menu.getByRole('menuitem', { name: /^Open$/ })).toHaveCount(0);
    await menu.getByRole('menuitem', { name: /^Copy s3a:\/\/ URI/ }).click();
    await expect(
      page.getByText(`Copied s3a://datalake/${folderKey}`)
    ).toBeVisible();

    // Enter opens the folder, and the keyboard stays in the listing.
    await row(browser, folderKey).focus();
    await page.keyboard.press('Enter');
    await expect(row(browser, mine)).toBeFocused();

    // The lake operations' rename takes { area, key }: F2 and the menu both call it.
    await page.evaluate(() => {
      const app = (window as any).jupyterapp;
      const calls: unknown[] = [];
      (window as any).renameCalls = calls;
      if (!app.commands.hasCommand('datalake:lake-rename')) {
        app.commands.addCommand('datalake:lake-rename', {
          label: 'Rename',
          execute: () => undefined
        });
      }
      const execute = app.commands.execute.bind(app.commands);
      app.commands.execute = (id: string, args: unknown) => {
        if (id === 'datalake:lake-rename') {
          calls.push(args);
          return Promise.resolve();
        }
        return execute(id, args);
      };
    });
    await page.keyboard.press('F2');
    await row(browser, mine).click({ button: 'right' });
    await expect(
      menu.getByRole('menuitem', { name: /^Download to My Computer/ })
    ).toBeVisible();
    await menu.getByRole('menuitem', { name: /^Rename/ }).click();
    expect(await page.evaluate(() => (window as any).renameCalls)).toEqual([
      { area: 'shared', key: mine },
      { area: 'shared', key: mine }
    ]);

    // Delete asks first; Backspace goes back up, onto the folder just left.
    await row(browser, mine).focus();
    await page.keyboard.press('Delete');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Delete mine.csv?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(row(browser, mine)).toBeVisible();
    await row(browser, mine).focus();
    await page.keyboard.press('Backspace');
    await expect(row(browser, folderKey)).toBeFocused();

    // Open, on an object, opens it in JupyterLab from the datalake: drive.
    await row(browser, folderKey).dblclick();
    await row(browser, mine).click({ button: 'right' });
    await menu.getByRole('menuitem', { name: /^Open$/ }).click();
    await expect(
      page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
        hasText: 'mine.csv'
      })
    ).toBeVisible();
  });

  test('drags objects onto the file browser, and files from it onto the lake', async ({
    page,
    tmpPath
  }) => {
    // The lake in a tab beside the file browser in the sidebar.
    await openShared(page);
    await execute(page, 'datalake:open-lake-tab');
    const wide = page.locator(`#${TAB_ID} .jp-DataLake-lakeBrowser`);
    await openFolders(wide, `shared/${top}/`, folderKey);
    await page.contents.createDirectory(`${tmpPath}/into`);
    await page.sidebar.openTab('filebrowser');
    await page.filebrowser.refresh();
    const into = page.locator('.jp-DirListing-item[title^="Name: into"]');
    await expect(into).toBeVisible();

    // Onto a folder of the file browser: the download dialog proposes that folder.
    await row(wide, mine).dragTo(into);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('input').first()).toHaveValue(
      `${tmpPath}/into`
    );
    await dialog.getByRole('button', { name: /^Download/ }).click();
    await expect
      .poll(() => fs.existsSync(path.join(HOME, tmpPath, 'into', 'mine.csv')), {
        timeout: 60 * 1000
      })
      .toBe(true);
    expect(
      fs.readFileSync(path.join(HOME, tmpPath, 'into', 'mine.csv')).equals(data)
    ).toBe(true);

    // A file of home dragged onto the lake: the Send dialog, at the folder shown.
    const sent = crypto.randomBytes(32 * 1024);
    fs.writeFileSync(path.join(HOME, tmpPath, 'from-home.bin'), sent);
    await page.filebrowser.refresh();
    const item = page.locator(
      '.jp-DirListing-item[title^="Name: from-home.bin"]'
    );
    const from = (await item.boundingBox())!;
    const to = (await wide.locator('.jp-DataLake-lakeGrid').boundingBox())!;
    await page.mouse.move(from.x + 30, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + from.height / 2, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, {
      steps: 10
    });
    await page.mouse.up();
    await expect(dialog).toContainText('Send from-home.bin to the data lake');
    await expect(dialog.locator('.jp-DataLake-prefix input')).toHaveValue(
      `${top}/projects`
    );
    await dialog.getByRole('button', { name: 'Send' }).click();
    const key = `${folderKey}from-home.bin`;
    await expect(row(wide, key)).toBeVisible({ timeout: 60 * 1000 });
    expect(readObject(key).equals(sent)).toBe(true);
  });

  test('sorts and filters the whole folder level of 1,200 objects', async ({
    page
  }) => {
    const many = `shared/${top}/many/`;
    // Sizes grow with the number, so the largest is the last S3 lists, on the third page.
    s3(
      [
        'from concurrent.futures import ThreadPoolExecutor',
        'def put(i):',
        '    s3.put_object(Bucket="datalake", Key=f"{sys.argv[1]}part{i:05d}.bin", Body=b"x" * (i + 1))',
        'with ThreadPoolExecutor(16) as pool:',
        '    list(pool.map(put, range(1200)))'
      ].join('\n'),
      many
    );
    const browser = await openShared(page);
    await openFolders(browser, `shared/${top}/`, many);
    const grid = browser.locator('.jp-DataLake-lakeGrid');
    await expect(grid).toHaveAttribute('aria-rowcount', '1201', {
      timeout: 60 * 1000
    });
    await expect(browser.locator('.jp-DataLake-lakeMore')).toHaveCount(0);

    await browser
      .locator('.jp-DataLake-sortButton[data-column="size"]')
      .click();
    expect((await keysShown(browser))[0]).toBe(`${many}part01199.bin`);

    const filter = browser.getByRole('searchbox', { name: 'Filter by name' });
    await filter.fill('part01199');
    expect(await keysShown(browser)).toEqual([`${many}part01199.bin`]);
    await filter.fill('part99999');
    await expect(browser.locator('.jp-DataLake-lakeNoMatch')).toHaveText(
      'No name in this folder contains “part99999”.'
    );
  });

  test('keeps the end of names and the filter readable at 250 px', async ({
    page
  }) => {
    const browser = await openShared(page);
    await page.sidebar.setWidth(250);
    await openFolders(browser, `shared/${top}/`, longFolder);
    const name = row(browser, longName).locator('.jp-DataLake-lakeName');
    await expect(name).toHaveAttribute('title', new RegExp(`^${longName}`));
    // The start gives way with an ellipsis; the end, with the extension, is whole.
    const fits = await name.evaluate(cell => {
      const end = cell.querySelector('.jp-DataLake-middleEnd') as HTMLElement;
      const start = cell.querySelector(
        '.jp-DataLake-middleStart'
      ) as HTMLElement;
      const box = cell.getBoundingClientRect();
      const tail = end.getBoundingClientRect();
      return {
        end: end.textContent,
        inside: tail.left >= box.left && tail.right <= box.right + 0.5,
        cut: start.scrollWidth > start.clientWidth
      };
    });
    expect(fits).toEqual({ end: 'full.parquet', inside: true, cut: true });

    // The folder shown keeps its end in the path too, with the full path in its tooltip.
    const crumb = browser.locator('.jp-DataLake-crumb[aria-current]');
    await expect(crumb).toHaveAttribute(
      'title',
      `Open Shared/${top}/datalake-demo-collection-of-features`
    );
    const crumbEnd = await crumb.evaluate(node => {
      const end = node.querySelector('.jp-DataLake-middleEnd') as HTMLElement;
      const nav = node.closest('nav') as HTMLElement;
      return (
        end.getBoundingClientRect().right <=
        nav.getBoundingClientRect().right + 0.5
      );
    });
    expect(crumbEnd).toBe(true);

    // The filter's placeholder has room.
    const room = await browser
      .getByRole('searchbox', { name: 'Filter by name' })
      .evaluate((input: HTMLInputElement) => {
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = `${style.fontSize} ${style.fontFamily}`;
        return (
          input.clientWidth -
          parseFloat(style.paddingLeft) -
          parseFloat(style.paddingRight) -
          context.measureText(input.placeholder).width
        );
      });
    expect(room).toBeGreaterThanOrEqual(0);
    // Search below beside it is whole, inside the panel.
    const whole = await browser
      .locator('.jp-DataLake-searchBelow')
      .evaluate(button => {
        const panel = button.closest('.jp-DataLake-lakeBrowser') as HTMLElement;
        return (
          button.getBoundingClientRect().right <=
            panel.getBoundingClientRect().right + 0.5 &&
          button.scrollWidth <= button.clientWidth
        );
      });
    expect(whole).toBe(true);

    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement)?.blur());
    await page
      .locator(`#${PANEL_ID}`)
      .screenshot({ path: '../docs/images/lake-browser-narrow.png' });
  });
});
