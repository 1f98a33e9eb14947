/**
 * What the data lake UI tests share: S3 as a colleague sees it (boto3 in a separate process,
 * with the credentials the server has; scripts/test.sh exports them), and the lake panel.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';

/** The data lake panel in the left sidebar (LAKE_PANEL_ID in src/tokens.ts). */
export const PANEL_ID = 'jp-datalake-lake';
/** The Jupyter server's home, which is the file browser's root. */
export const HOME = process.env.DATALAKE_UI_HOME as string;

/**
 * Talk to S3 as a colleague would, with boto3 in a separate process and the credentials the
 * server has (scripts/test.sh exports them).
 */
export function s3(script: string, ...args: string[]): Buffer {
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

export function putObject(key: string, file: string, uploader: string): void {
  s3(
    's3.upload_file(sys.argv[2], "datalake", sys.argv[1], ExtraArgs={"Metadata": {"uploader": sys.argv[3]}})',
    key,
    file,
    uploader
  );
}

export function readObject(key: string): Buffer {
  return s3(
    'sys.stdout.buffer.write(s3.get_object(Bucket="datalake", Key=sys.argv[1])["Body"].read())',
    key
  );
}

export function deletePrefix(prefix: string): void {
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

export async function openShared(page: IJupyterLabPageFixture) {
  await page.sidebar.openTab(PANEL_ID);
  const browser = page.locator('.jp-DataLake-lakeBrowser');
  await expect(browser).toBeVisible({ timeout: 30 * 1000 });
  await browser.getByRole('tab', { name: 'Shared' }).click();
  return browser;
}

export function row(
  browser: ReturnType<IJupyterLabPageFixture['locator']>,
  key: string
) {
  return browser.locator(`.jp-DataLake-lakeRow[data-key="${key}"]`);
}
