import { expect, test } from '@jupyterlab/galata';
import * as crypto from 'crypto';

import { deletePrefix, openShared, PANEL_ID, row, s3 } from './lake';

/**
 * The preview pane: selecting an object of the lake shows what is inside it, read by the
 * server from a bounded range, and what is known of it; nothing is downloaded into home.
 */
test.describe('Data lake preview', () => {
  const top = `ui-${crypto.randomBytes(4).toString('hex')}`;
  const csvKey = `shared/${top}/countries.csv`;
  const parquetKey = `shared/${top}/measures.parquet`;

  test.beforeAll(() => {
    s3(
      [
        'rows = ["code,name,population"] + [f"C{i:03d},Country {i},{1000 * i}" for i in range(250)]',
        's3.put_object(Bucket="datalake", Key=sys.argv[1], Body=("\\n".join(rows) + "\\n").encode(),',
        '              ContentType="text/csv", Metadata={"uploader": "galata"})'
      ].join('\n'),
      csvKey
    );
    s3(
      [
        'import io, pyarrow as pa, pyarrow.parquet as pq',
        'table = pa.table({"station": [f"S{i % 40}" for i in range(30000)],',
        '                  "at": pa.array(range(30000), pa.timestamp("ms")),',
        '                  "temperature": [i / 100 for i in range(30000)]})',
        'out = io.BytesIO()',
        'pq.write_table(table, out, row_group_size=10000, compression="snappy")',
        's3.put_object(Bucket="datalake", Key=sys.argv[1], Body=out.getvalue())'
      ].join('\n'),
      parquetKey
    );
  });

  test.afterAll(() => {
    deletePrefix(`shared/${top}/`);
  });

  test('a Parquet file shows its schema, a CSV its first rows', async ({
    page
  }) => {
    const browser = await openShared(page);
    await row(browser, `shared/${top}/`).dblclick();

    // A click on the name selects the row (its middle holds the action buttons).
    await row(browser, parquetKey).locator('.jp-DataLake-lakeName').click();
    const pane = page.getByRole('region', {
      name: 'Preview of measures.parquet'
    });
    await expect(pane).toBeVisible();
    await expect(
      pane.locator('.jp-DataLake-previewCaption').first()
    ).toHaveText(
      `${(30000).toLocaleString('en-US')} rows in 3 row groups · 3 columns`
    );
    const schema = pane.getByRole('table', { name: 'Schema' });
    await expect(schema.locator('tbody tr')).toHaveText([
      /station\s*string\s*SNAPPY/,
      /at\s*timestamp\[ms\]\s*SNAPPY/,
      /temperature\s*double\s*SNAPPY/
    ]);
    await expect(
      pane.getByRole('img', { name: /The first rows of measures\.parquet/ })
    ).toHaveAttribute('aria-label', /columns: station, at, temperature/);
    await expect(pane.locator('.jp-DataLake-previewRead')).toContainText(
      'from the data lake'
    );

    await row(browser, csvKey).locator('.jp-DataLake-lakeName').click();
    const csvPane = page.getByRole('region', {
      name: 'Preview of countries.csv'
    });
    await expect(csvPane).toBeVisible();
    await expect(csvPane.locator('.jp-DataLake-previewCaption')).toHaveText(
      'The first 100 rows'
    );
    const grid = csvPane.getByRole('img', {
      name: /The first rows of countries\.csv/
    });
    await expect(grid).toHaveAttribute(
      'aria-label',
      /columns: code, name, population/
    );
    // JupyterLab's DataGrid draws the rows on a canvas of the grid's size.
    const canvas = grid.locator('canvas').first();
    await expect(canvas).toBeVisible();
    expect((await canvas.boundingBox())?.height).toBeGreaterThan(100);
    const facts = csvPane.locator('.jp-DataLake-previewFacts');
    await expect(facts).toContainText('Uploaded by');
    await expect(facts).toContainText('galata');
    await expect(facts).toContainText('text/csv');

    // For the README: the preview pane below the listing.
    await page.mouse.move(0, 0);
    await page
      .locator(`#${PANEL_ID}`)
      .screenshot({ path: '../docs/images/lake-preview.png' });
  });
});
