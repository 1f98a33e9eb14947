/**
 * Chromium's side of bench_browser.py: open the Storage panel's data lake browser, open a
 * folder of many objects, and time the first screen of rows against the bare API request for
 * the same page, made from the same page in the same run.
 *
 *   node bench/browser_first_screen.js <lab url> <token> <folder in shared/> <repeat>
 *
 * Prints one JSON object. playwright-core comes from ui-tests/node_modules.
 */
const path = require('path');
const { chromium } = require(
  require.resolve('playwright-core', {
    paths: [path.join(__dirname, '..', 'ui-tests')]
  })
);

async function main() {
  const [url, token, folder, repeat] = process.argv.slice(2);
  const browser = await chromium.launch(
    require(path.join(__dirname, '..', 'ui-tests', 'chromium-options.js'))
  );
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 }
  });
  // ?reset: a workspace left by an earlier run could have the panel open already.
  await page.goto(`${url}/lab?reset&token=${token}`);
  await page.waitForSelector('#jp-main-dock-panel', { timeout: 120000 });
  await page.locator('.jp-SideBar [data-id="jp-datalake-storage"]').click();
  const lake = page.locator('.jp-DataLake-lakeBrowser');
  await lake.waitFor({ timeout: 60000 });
  await lake.getByRole('tab', { name: 'Shared' }).click();
  const folderRow = lake.locator(
    `.jp-DataLake-lakeRow[data-key="shared/${folder}/"]`
  );
  const firstObject = lake
    .locator('.jp-DataLake-lakeRow[data-kind="object"]')
    .first();

  const screens = [];
  const fetches = [];
  for (let i = 0; i < Number(repeat); i++) {
    await folderRow.waitFor();
    // From the double-click on the folder to the frame after its first object row is in
    // the page, timed inside the page so that Playwright's own waiting is not counted.
    screens.push(
      await folderRow.evaluate(
        row =>
          new Promise(resolve => {
            const started = performance.now();
            const painted = () => {
              // The folder's row is gone once the folder opens: look from the document.
              const shown = document.querySelector(
                '.jp-DataLake-lakeBrowser .jp-DataLake-lakeRow[data-kind="object"]'
              );
              if (shown) {
                requestAnimationFrame(() =>
                  resolve(performance.now() - started)
                );
              } else {
                requestAnimationFrame(painted);
              }
            };
            row.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
            painted();
          })
      )
    );
    // The bare request for the same first page, from the same page.
    fetches.push(
      await page.evaluate(
        async ([folder, token]) => {
          const t = performance.now();
          const r = await fetch(
            `${location.pathname.replace(/\/lab.*$/, '')}/datalake/objects?area=shared&prefix=${encodeURIComponent(folder)}`,
            { headers: { Authorization: `token ${token}` } }
          );
          await r.json();
          return performance.now() - t;
        },
        [folder, token]
      )
    );
    // Back to the top of shared/ for the next round.
    await lake.locator('.jp-DataLake-crumb').first().click();
  }

  // Load every page of the folder, then count the rows in the DOM: windowing keeps it small.
  await folderRow.dblclick();
  await firstObject.waitFor({ state: 'visible' });
  // Scrolling to the end loads the next page, as a user scrolling down would.
  const viewport = lake.locator('.jp-DataLake-lakeViewport');
  let loads = 0;
  while (loads < 200) {
    const done = await viewport.evaluate(el => {
      el.scrollTop = el.scrollHeight;
      const more = el
        .closest('.jp-DataLake-lakeBrowser')
        .querySelector('.jp-DataLake-loadMore');
      return more === null;
    });
    if (done) {
      break;
    }
    loads += 1;
    await page.waitForTimeout(100);
  }
  const loaded =
    Number(
      await lake.locator('.jp-DataLake-lakeGrid').getAttribute('aria-rowcount')
    ) - 1;
  // Scroll from top to bottom in half-screen steps and time the frames, as a user dragging
  // would; the same number of frames without scrolling is the machine's own frame time.
  const frameTimes = scroll =>
    viewport.evaluate(async (el, scroll) => {
      const frames = [];
      let last = performance.now();
      for (let y = 0; y <= el.scrollHeight; y += el.clientHeight / 2) {
        if (scroll) {
          el.scrollTop = y;
        }
        await new Promise(r => requestAnimationFrame(() => r()));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      frames.sort((a, b) => a - b);
      return {
        steps: frames.length,
        p50: frames[Math.floor(frames.length / 2)],
        p95: frames[Math.floor(frames.length * 0.95)]
      };
    }, scroll);
  const idle = await frameTimes(false);
  const scrolled = await frameTimes(true);
  const domRows = await lake.locator('.jp-DataLake-lakeRow').count();
  await browser.close();
  console.log(
    JSON.stringify({ screens, fetches, loaded, domRows, idle, scrolled })
  );
}

main().catch(err => {
  console.error(err);
  process.exit(2);
});
