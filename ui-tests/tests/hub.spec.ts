/**
 * The extension on a real JupyterHub, in Chromium, as two people use it: alice and bob log in
 * through the hub's own login page, each in a browser context of their own (their own
 * cookies), and each works on their own single-user server with their own S3 identity, which a
 * least-privilege bucket policy confines (scripts/hub_env.py, ui-tests/hub-server.ts).
 *
 * alice sees her areas' rights in the panel and sends a file from her home to her area and to
 * shared/ with "Send to data lake". bob then sees her shared file, with Delete disabled for
 * him, and an area S3 refuses him (a team area the policy grants nobody) is shown with S3's
 * refusal in words, in the panel, instead of a listing that fails.
 *
 * Galata's `page` fixture is bound to its own single-user server; these tests open pages in
 * contexts of Playwright's `browser` fixture, on the hub's URL.
 */
import {
  Browser,
  BrowserContext,
  expect,
  Locator,
  Page,
  test
} from '@playwright/test';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { HubServer, IHub } from '../hub-server';

const PANEL_ID = 'jp-datalake-storage';
const LAKE_ID = 'jp-datalake-lake';
// Configured for everyone, granted by the bucket policy to no one: S3 refuses it.
const TEAM_AREA = {
  id: 'team',
  title: 'Team analytics',
  prefix: 'teams/analytics/',
  allow: ['read', 'write', 'delete-own']
};
// A user's first server start imports JupyterLab on a loaded machine.
const SPAWN_TIMEOUT = 180 * 1000;

/** The lake as its admin sees it: boto3 with the bucket owner's key (scripts/test.sh). */
function admin(script: string, ...args: string[]): string {
  const prelude = [
    'import json, os, sys, boto3',
    's3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])'
  ];
  return execFileSync(
    process.env.PYTHON || 'python',
    ['-c', [...prelude, script].join('\n'), ...args],
    { encoding: 'utf-8' }
  );
}

/** Key and size of each object under a prefix. */
function listed(bucket: string, prefix: string): Record<string, number> {
  return JSON.parse(
    admin(
      [
        'page = s3.list_objects_v2(Bucket=sys.argv[1], Prefix=sys.argv[2])',
        'print(json.dumps({o["Key"]: o["Size"] for o in page.get("Contents", [])}))'
      ].join('\n'),
      bucket,
      prefix
    )
  );
}

function deletePrefix(bucket: string, prefix: string): void {
  admin(
    [
      'for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2]):',
      '    keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]',
      '    if keys:',
      '        s3.delete_objects(Bucket=sys.argv[1], Delete={"Objects": keys})'
    ].join('\n'),
    bucket,
    prefix
  );
}

/**
 * No "get notified about Jupyter news?" toast over the panel: the user's own setting, in the
 * home the hub will give their server.
 */
function quietHome(hub: IHub, user: string): void {
  const dir = path.join(
    hub.homes,
    user,
    '.jupyter/lab/user-settings/@jupyterlab/apputils-extension'
  );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false' })
  );
}

/**
 * A person's browser: a context of their own, logged in through the hub's login form, on
 * their JupyterLab once the hub has started their server.
 */
async function logIn(
  browser: Browser,
  hub: IHub,
  user: string
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hub.url}/hub/login`);
  await page.locator('#username_input').fill(user);
  await page.locator('#password_input').fill(hub.password);
  await page.locator('#login_submit').click();
  // The hub starts their server at login, shows its progress page, and then OAuth takes
  // them to their own JupyterLab.
  await page.waitForURL(`${hub.url}/user/${user}/lab**`, {
    timeout: SPAWN_TIMEOUT
  });
  await waitForLab(page);
  return { context, page };
}

async function waitForLab(page: Page): Promise<void> {
  await page.locator('.jp-LabShell').waitFor({ timeout: SPAWN_TIMEOUT });
  await page
    .locator('#jupyterlab-splash')
    .waitFor({ state: 'detached', timeout: SPAWN_TIMEOUT });
}

/** Show a panel of the left sidebar. */
async function showSidebar(page: Page, id: string): Promise<void> {
  const tab = page.locator(`.jp-SideBar .lm-TabBar-tab[data-id="${id}"]`);
  // A reloaded JupyterLab restores the panel that was open; a click would close it.
  if (!/\blm-mod-current\b/.test((await tab.getAttribute('class')) ?? '')) {
    await tab.click();
  }
}

/** The Storage panel, with its transfers. */
async function openStorage(page: Page): Promise<Locator> {
  await showSidebar(page, PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  return panel;
}

/** The data lake panel, once its status says the lake is connected. */
async function openLake(page: Page): Promise<Locator> {
  await showSidebar(page, LAKE_ID);
  const panel = page.locator(`#${LAKE_ID}`);
  await expect(
    panel.locator('.jp-DataLake-connectionState[data-state="ok"]')
  ).toBeVisible({ timeout: 60 * 1000 });
  return panel;
}

function rights(panel: Locator, area: string): Locator {
  return panel.locator(
    `.jp-DataLake-areaRights li[data-area="${area}"] .jp-DataLake-areaRight`
  );
}

function lakeRow(panel: Locator, key: string): Locator {
  return panel.locator(`.jp-DataLake-lakeRow[data-key="${key}"]`);
}

/**
 * A file in the user's home, made through their server's contents API with their page's
 * cookies and the `_xsrf` token that JupyterLab echoes, as JupyterLab itself saves a file.
 */
async function saveFile(
  page: Page,
  hub: IHub,
  user: string,
  relative: string,
  content: string
): Promise<void> {
  const cookies = await page.context().cookies(`${hub.url}/user/${user}/`);
  const xsrf = cookies.find(cookie => cookie.name === '_xsrf')?.value;
  expect(xsrf, `no _xsrf cookie from ${user}'s server`).toBeTruthy();
  const api = `${hub.url}/user/${user}/api/contents`;
  const headers = { 'X-XSRFToken': xsrf as string };
  const folder = path.posix.dirname(relative);
  const made = await page.request.put(`${api}/${folder}`, {
    headers,
    data: { type: 'directory' }
  });
  expect(made.status(), await made.text()).toBeLessThan(300);
  const saved = await page.request.put(`${api}/${relative}`, {
    headers,
    data: { type: 'file', format: 'text', content }
  });
  expect(saved.status(), await saved.text()).toBeLessThan(300);
}

/** Right-click the file in the file browser, "Send to data lake", into `area`/`prefix`. */
async function sendToLake(
  page: Page,
  name: string,
  area: RegExp,
  prefix: string,
  into: string
): Promise<Locator> {
  await page
    .locator(`.jp-DirListing-item[title^="Name: ${name}"]`)
    .click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Send to data lake' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: area }).check();
  await dialog.locator('.jp-DataLake-prefix input').fill(prefix);
  // Where it goes is shown before anything starts.
  await expect(dialog.locator('.jp-DataLake-sendInto')).toContainText(into);
  return dialog;
}

test.describe('On JupyterHub, alice and bob', () => {
  // bob's test reads what alice's sent; each starts a server of its own on first login.
  test.describe.configure({ mode: 'serial', timeout: 6 * 60 * 1000 });
  const server = new HubServer();
  let hub: IHub;
  const run = `ui-hub-${crypto.randomBytes(4).toString('hex')}`;
  const name = 'results.csv';
  const content = 'id,score\n1,0.9\n2,0.7\n';
  const mine = `users/alice/${run}/${name}`;
  const shared = `shared/${run}/${name}`;

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(4 * 60 * 1000);
    hub = await server.start([TEAM_AREA]);
    for (const user of hub.users) {
      quietHome(hub, user);
    }
  });

  test.afterAll(async ({}, testInfo) => {
    testInfo.setTimeout(2 * 60 * 1000);
    await server.stop();
    if (hub) {
      deletePrefix(hub.bucket, `users/alice/${run}/`);
      deletePrefix(hub.bucket, `shared/${run}/`);
    }
  });

  test('alice sees her rights and sends a file to her area and to shared/', async ({
    browser
  }) => {
    const { context, page } = await logIn(browser, hub, 'alice');
    const panel = await openLake(page);
    await expect(
      panel.locator('.jp-DataLake-areaRights li[data-area="mine"] code')
    ).toHaveText('users/alice/');
    await expect(rights(panel, 'mine')).toHaveText('read, write, delete');
    await expect(rights(panel, 'shared')).toHaveText(
      'read, write, delete own uploads'
    );
    await expect(rights(panel, 'datasets')).toHaveText('read only');
    await expect(rights(panel, 'raw')).toHaveText('read only');

    await saveFile(page, hub, 'alice', `${run}/${name}`, content);
    // The file browser opened in that folder, as a /lab/tree/ link opens it.
    await page.goto(`${hub.url}/user/alice/lab/tree/${run}`);
    await waitForLab(page);
    await showSidebar(page, 'filebrowser');

    let dialog = await sendToLake(
      page,
      name,
      /My area/,
      run,
      `s3a://${hub.bucket}/users/alice/${run}`
    );
    // The read-only areas are not offered, and the dialog says why.
    for (const area of ['datasets', 'raw', 'team']) {
      await expect(
        dialog.locator(`.jp-DataLake-notOffered li[data-area="${area}"]`)
      ).toBeVisible();
    }
    await dialog.getByRole('button', { name: /^Send/ }).click();
    await expect(dialog).toBeHidden();

    dialog = await sendToLake(
      page,
      name,
      /Shared/,
      run,
      `s3a://${hub.bucket}/shared/${run}`
    );
    await dialog.getByRole('button', { name: /^Send/ }).click();
    await expect(dialog).toBeHidden();

    const storage = await openStorage(page);
    await expect(
      storage.locator('.jp-DataLake-transfer[data-state="done"]')
    ).toHaveCount(2, { timeout: 60 * 1000 });
    await expect(storage.locator('.jp-DataLake-transfer')).toHaveCount(2);

    // In S3, under her identity's prefixes, whole.
    const size = Buffer.byteLength(content);
    expect(listed(hub.bucket, `users/alice/${run}/`)).toEqual({ [mine]: size });
    expect(listed(hub.bucket, `shared/${run}/`)).toEqual({ [shared]: size });

    // In her own lake browser, with Delete offered on her own upload in shared/.
    const lake = (await openLake(page)).locator('.jp-DataLake-lakeBrowser');
    await lake.getByRole('tab', { name: 'My area' }).click();
    await lakeRow(lake, `users/alice/${run}/`).dblclick();
    await expect(lakeRow(lake, mine)).toBeVisible();
    await lake.getByRole('tab', { name: 'Shared' }).click();
    await lakeRow(lake, `shared/${run}/`).dblclick();
    await expect(
      lakeRow(lake, shared).getByRole('button', { name: `Delete ${name}` })
    ).toBeEnabled();
    await context.close();
  });

  test('bob sees alice’s shared file, may not delete it, and reads S3’s refusal', async ({
    browser
  }) => {
    const { context, page } = await logIn(browser, hub, 'bob');
    const panel = await openLake(page);
    await expect(
      panel.locator('.jp-DataLake-areaRights li[data-area="mine"] code')
    ).toHaveText('users/bob/');
    await expect(rights(panel, 'mine')).toHaveText('read, write, delete');
    await expect(rights(panel, 'team')).toContainText(
      'refused: Your data lake account may not list teams/analytics/'
    );

    const lake = panel.locator('.jp-DataLake-lakeBrowser');
    await lake.getByRole('tab', { name: 'Shared' }).click();
    await lakeRow(lake, `shared/${run}/`).dblclick();
    const row = lakeRow(lake, shared);
    await expect(row).toBeVisible();
    // Once the server has said whose it is, which is when Delete would be offered...
    await expect(row.locator('.jp-DataLake-lakeName')).toHaveAttribute(
      'title',
      /Uploaded by alice/
    );
    // ...bob's Delete is disabled and says why; downloading it is his to do.
    const theirs = row.getByRole('button', { name: `Delete ${name}` });
    await expect(theirs).toBeDisabled();
    await expect(theirs).toHaveAttribute(
      'title',
      'Uploaded by alice; in Shared you can delete only what you uploaded'
    );
    await expect(
      row.getByRole('button', { name: `Download ${name} to home` })
    ).toBeEnabled();

    // The team area: S3 refuses bob's identity there, and the panel says so in words,
    // from the status's probe, rather than offering a listing that would fail.
    const refusal =
      'Your data lake account may not list teams/analytics/ ' +
      `(s3a://${hub.bucket}/teams/analytics/). Ask your hub admin if you need to.`;
    const team = lake.getByRole('tab', { name: TEAM_AREA.title });
    await expect(team).toHaveAttribute('data-access', 'refused');
    await team.click();
    await expect(
      lake.locator('.jp-DataLake-lakeRefused .jp-DataLake-message')
    ).toHaveText(refusal);
    await expect(lake.locator('.jp-DataLake-lakeError')).toHaveCount(0);
    // Asked all the same, with his cookies, his server passes on S3's AccessDenied as a
    // 403 saying the same, not as an outage.
    const asked = await page.request.get(
      `${hub.url}/user/bob/datalake/objects?area=team`
    );
    expect(asked.status()).toBe(403);
    expect((await asked.json()).message).toBe(refusal);
    await context.close();
  });

  test('bob opens a dataset in JupyterLab read-only, and a save leaves it as it was', async ({
    browser
  }) => {
    const key = `datasets/${run}/cities.csv`;
    const text = 'city,people\nLyon,522000\n';
    // The platform's datasets, which the users' policy lets them read, never write.
    admin(
      's3.put_object(Bucket=sys.argv[1], Key=sys.argv[2], Body=sys.argv[3].encode())',
      hub.bucket,
      key,
      text
    );
    const { context, page } = await logIn(browser, hub, 'bob');
    const lake = (await openLake(page)).locator('.jp-DataLake-lakeBrowser');
    await lake.getByRole('tab', { name: 'Datasets' }).click();
    await lakeRow(lake, `datasets/${run}/`).dblclick();
    await lakeRow(lake, key).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.jp-MainAreaWidget .jp-CSVViewer')).toBeVisible({
      timeout: 30 * 1000
    });
    // Saving it is refused by JupyterLab itself, since the drive says it is not writable.
    await page.locator('.jp-MainAreaWidget .jp-CSVViewer').click();
    await page.keyboard.press('Control+s');
    await expect(
      page.locator('.Toastify__toast', { hasText: 'is read-only' })
    ).toBeVisible({ timeout: 15 * 1000 });
    expect(
      admin(
        'sys.stdout.write(s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])["Body"].read().decode())',
        hub.bucket,
        key
      )
    ).toBe(text);
    await context.close();
    deletePrefix(hub.bucket, `datasets/${run}/`);
  });
});
