/**
 * Galata's configuration, adapted to this machine: Debian's Chromium instead of a downloaded
 * browser (downloads fail here), no sandbox because the tests run as root, and no video, whose
 * recording would need Playwright's own ffmpeg download.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

/**
 * A fresh home for the Jupyter server, which is also its HOME and file browser root, as on the
 * platform: JupyterLab's delete then moves files into this home's trash, and usage counts it.
 * Like a PVC, it is a volume of its own (a tmpfs; the tests run as root), so that /tmp is on
 * another volume and lost at restart, as in a real single-user pod.
 */
function makeHome() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datalake-ui-home-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', dir]);
  return dir;
}
// The config is read by the runner and by each worker; they must share one home.
const home = process.env.DATALAKE_UI_HOME || makeHome();
process.env.DATALAKE_UI_HOME = home;
// One port per run (DATALAKE_UI_PORT), so that two checkouts can run their UI tests side by side.
const port = process.env.DATALAKE_UI_PORT || '8888';
process.env.DATALAKE_UI_PORT = port;
process.env.TARGET_URL = process.env.TARGET_URL || `http://localhost:${port}`;

module.exports = {
  ...baseConfig,
  // The tests stop and start the shared S3 gateway; running them in parallel would race.
  workers: 1,
  retries: 0,
  globalTeardown: require.resolve('./global-teardown.js'),
  timeout: 120 * 1000,
  use: {
    ...baseConfig.use,
    baseURL: process.env.TARGET_URL,
    launchOptions: require('./chromium-options'),
    video: 'off',
    trace: 'off'
  },
  webServer: {
    command: 'jlpm start',
    url: `${process.env.TARGET_URL}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI,
    env: {
      ...process.env,
      HOME: home,
      DATALAKE_UI_HOME: home,
      DATALAKE_UI_PORT: port
    }
  }
};
