/**
 * What the preview pane says of an object, as pure functions: the metadata as label and value
 * pairs, how much was read, a Parquet file's shape, and the rows of a table as DSV text for
 * JupyterLab's own DSV model (the server parsed the CSV, or read the Parquet rows; the grid
 * draws both the same way).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IParquetSchema, IPreview, IPreviewTable } from '../api/types';
import { formatBytes, formatModified } from './format';

/** One field of a DSV record, quoted where it holds the delimiter, a quote or a line end. */
function dsvField(value: string | null, delimiter: string): string {
  const text = value ?? '';
  return text.includes(delimiter) || /["\r\n]/.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/** The header and rows of a table as DSV text; every record ends in "\n". */
export function tableAsDSV(table: IPreviewTable, delimiter = ','): string {
  return [table.columns, ...table.rows]
    .map(
      row => row.map(cell => dsvField(cell, delimiter)).join(delimiter) + '\n'
    )
    .join('');
}

/** A fact of the metadata list: a label, and the value as shown. */
export interface IFact {
  label: string;
  value: string;
  /** The exact value for a tooltip (the date and time of "2 hours ago"). */
  title?: string;
}

/** What is known of the object: size, modified, ETag, type, uploader, SHA-256, source. */
export function previewFacts(
  preview: IPreview,
  trans: TranslationBundle
): IFact[] {
  const info = preview.info;
  const facts: IFact[] = [];
  const add = (label: string, value: unknown, title?: string) => {
    if (value !== null && value !== undefined && value !== '') {
      facts.push({ label, value: String(value), title });
    }
  };
  if (typeof info.size === 'number') {
    add(
      trans.__('Size'),
      formatBytes(info.size),
      trans.__('%1 bytes', info.size.toLocaleString())
    );
  }
  if (typeof info.last_modified === 'number') {
    const when = formatModified(info.last_modified, 'long');
    add(trans.__('Modified'), when.relative, when.exact);
  }
  add(trans.__('ETag'), info.etag);
  add(trans.__('Content type'), info.content_type);
  add(trans.__('Uploaded by'), info.uploader);
  add(trans.__('SHA-256'), info.sha256);
  add(trans.__('Source'), info.source_path);
  return facts;
}

/** "Read 64 KiB of 3.2 GiB from the data lake", or null when nothing was read. */
export function bytesReadNote(
  preview: IPreview,
  trans: TranslationBundle
): string | null {
  if (preview.bytes_read <= 0) {
    return null;
  }
  const size = preview.info.size;
  return typeof size === 'number'
    ? trans.__(
        'Read %1 of %2 from the data lake',
        formatBytes(preview.bytes_read),
        formatBytes(size)
      )
    : trans.__('Read %1 from the data lake', formatBytes(preview.bytes_read));
}

/** "400,000 rows in 4 row groups · 4 columns". */
export function parquetSummary(
  parquet: IParquetSchema,
  trans: TranslationBundle
): string {
  return [
    trans._n(
      '%2 row',
      '%2 rows',
      parquet.num_rows,
      parquet.num_rows.toLocaleString()
    ),
    trans._n('in %1 row group', 'in %1 row groups', parquet.num_row_groups),
    '· ' + trans._n('%1 column', '%1 columns', parquet.columns.length)
  ].join(' ');
}

/** What the table shows of the rows: "The first 100 rows", or "All 12 rows". */
export function rowsCaption(
  table: IPreviewTable,
  trans: TranslationBundle
): string {
  return table.more
    ? trans._n('The first row', 'The first %1 rows', table.rows.length)
    : trans._n('The one row', 'All %1 rows', table.rows.length);
}

/** The name of an object: the last part of its key. */
export function objectName(key: string): string {
  return key.replace(/\/$/, '').split('/').pop() ?? key;
}
