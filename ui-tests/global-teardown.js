// Unmount and remove the home volume that playwright.config.js made for this run.
const { execFileSync } = require('child_process');
const fs = require('fs');

module.exports = async () => {
  const home = process.env.DATALAKE_UI_HOME;
  if (home && home.includes('datalake-ui-home-')) {
    execFileSync('umount', ['-l', home]);
    fs.rmSync(home, { recursive: true, force: true });
  }
};
