import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PANEL_ID = 'jp-datalake-storage';
const HOME = process.env.DATALAKE_UI_HOME as string;

/**
 * Talk to S3 as a colleague would, with boto3 in a separate process and the credentials the
 * server has (scripts/test.sh exports them).
 */
function s3(script: string, ...args: string[]): Buffer {
  const prelude = [
    'import os, sys, boto3',
    's3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"])'
  ];
  return execFileSync(
    process.env.PYTHON || 'python',
    ['-c', [...prelude, script].join('\n'), ...args],
    { maxBuffer: 64 * 1024 * 1024 }
  );
}

function putObject(key: string, file: string, uploader: string): void {
  s3(
    's3.upload_file(sys.argv[2], "datalake", sys.argv[1], ExtraArgs={"Metadata": {"uploader": sys.argv[3]}})',
    key,
    file,
    uploader
  );
}

function readObject(key: string): Buffer {
  return s3(
    'sys.stdout.buffer.write(s3.get_object(Bucket="datalake", Key=sys.argv[1])["Body"].read())',
    key
  );
}

function deletePrefix(prefix: string): void {
  s3(
    [
      'for page in s3.get_paginator("list_objects_v2").paginate(Bucket="datalake", Prefix=sys.argv[1]):',
      '    keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]',
      '    if keys:',
      '        s3.delete_objects(Bucket="datalake", Delete={"Objects": keys})'
    ].join('\n'),
    prefix
  );
}

async function openShared(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(PANEL_ID);
  const browser = page.locator('.jp-DataLake-lakeBrowser');
  await expect(browser).toBeVisible({ timeout: 30 * 1000 });
  await browser.getByRole('tab', { name: 'Shared' }).click();
  return browser;
}

function row(
  browser: ReturnType<IJupyterLabPageFixture['locator']>,
  key: string
) {
  return browser.locator(`.jp-DataLake-lakeRow[data-key="${key}"]`);
}

test.describe('Data lake browser', () => {
  const top = `ui-${crypto.randomBytes(4).toString('hex')}`;
  const data = crypto.randomBytes(300 * 1024);
  const theirs = `shared/${top}/projects/q3/colleague.csv`;
  const mine = `shared/${top}/projects/q3/mine.csv`;

  test.beforeAll(() => {
    const file = path.join(os.tmpdir(), `${top}.csv`);
    fs.writeFileSync(file, data);
    putObject(theirs, file, 'someone-else');
    putObject(mine, file, 'galata');
    fs.rmSync(file);
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('navigates two folders deep and downloads into home, byte-exact', async ({
    page,
    tmpPath
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    await row(browser, `shared/${top}/projects/`).dblclick();
    // Keyboard works as well as the mouse.
    await row(browser, `shared/${top}/projects/q3/`).focus();
    await page.keyboard.press('Enter');
    const found = row(browser, theirs);
    await expect(found).toBeVisible();
    await expect(browser.locator('.jp-DataLake-crumbs')).toContainText('q3');

    // The user's own object can be deleted...
    await expect(
      row(browser, mine).getByRole('button', { name: 'Delete mine.csv' })
    ).toBeVisible();
    // Someone else's upload: Delete is there but disabled, saying whose it is and why.
    const theirDelete = found.getByRole('button', {
      name: 'Delete colleague.csv'
    });
    await expect(theirDelete).toBeDisabled();
    await expect(theirDelete).toHaveAttribute(
      'title',
      /in Shared you can delete only what you uploaded/
    );

    // For the README: the browser two folders deep, with the pointer off the rows.
    await page.mouse.move(0, 0);
    await browser.screenshot({ path: '../docs/images/lake-browser.png' });

    await found
      .getByRole('button', { name: 'Download colleague.csv to home' })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toBeVisible();
    // The dialog proposes the file browser's folder, the test's own.
    await dialog.getByRole('button', { name: /^Download/ }).click();

    // The Storage panel shares the left sidebar with the file browser.
    await page.sidebar.openTab('filebrowser');
    const listed = page.locator(
      '.jp-DirListing-item[title^="Name: colleague.csv"]'
    );
    await expect(listed).toBeVisible({ timeout: 60 * 1000 });
    expect(
      fs.readFileSync(path.join(HOME, tmpPath, 'colleague.csv')).equals(data)
    ).toBe(true);
  });

  test('uploads a file from the computer into the open folder', async ({
    page
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();
    const upload = crypto.randomBytes(6 * 1024 * 1024 + 11);
    const local = path.join(os.tmpdir(), `${top}-from-desktop.bin`);
    fs.writeFileSync(local, upload);
    try {
      await browser.locator('.jp-DataLake-uploadInput').setInputFiles(local);
      const key = `shared/${top}/${top}-from-desktop.bin`;
      await expect(row(browser, key)).toBeVisible({ timeout: 60 * 1000 });
      expect(readObject(key).equals(upload)).toBe(true);
    } finally {
      fs.rmSync(local, { force: true });
    }
  });
});
