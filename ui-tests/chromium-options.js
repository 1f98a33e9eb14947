/**
 * How Chromium is launched on this machine, for the UI tests and the browser benchmark:
 * Debian's Chromium (a downloaded browser fails here), no sandbox because the tests run as
 * root, and no background networking, which this machine's closed network refuses.
 */
module.exports = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run'
  ]
};
