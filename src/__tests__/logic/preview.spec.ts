import { nullTranslator } from '@jupyterlab/translation';

import { IPreview } from '../../api/types';
import {
  bytesReadNote,
  parquetSummary,
  previewFacts,
  rowsCaption,
  tableAsDSV
} from '../../logic/preview';

const trans = nullTranslator.load('jupyterlab_datalake');

function preview(extra: Partial<IPreview> = {}): IPreview {
  return {
    area: 'shared',
    key: 'shared/ref/countries.csv',
    format: 'csv',
    compressed: false,
    info: {
      key: 'shared/ref/countries.csv',
      size: 3 * 1024 ** 3,
      last_modified: null,
      content_type: 'text/csv',
      etag: 'abc-3',
      uploader: 'ada',
      sha256: null,
      source_path: 'data/countries.csv',
      can_delete: true
    },
    bytes_read: 65536,
    message: null,
    notes: [],
    ...extra
  };
}

describe('tableAsDSV', () => {
  it('quotes the cells that hold a comma, a quote or a line end, and writes nulls empty', () => {
    const text = tableAsDSV({
      columns: ['id', 'name, full'],
      rows: [
        ['1', 'He said "yes"'],
        ['2', 'two\nlines'],
        ['3', null]
      ],
      more: false
    });
    expect(text).toBe(
      'id,"name, full"\n1,"He said ""yes"""\n2,"two\nlines"\n3,\n'
    );
  });

  it('quotes by the delimiter asked for', () => {
    expect(
      tableAsDSV({ columns: ['a;b', 'c,d'], rows: [], more: false }, ';')
    ).toBe('"a;b";c,d\n');
  });
});

describe('previewFacts', () => {
  it('lists what is known of the object, and leaves out what is not', () => {
    const facts = previewFacts(preview(), trans);
    expect(facts.map(f => [f.label, f.value])).toEqual([
      ['Size', '3.0 GiB'],
      ['ETag', 'abc-3'],
      ['Content type', 'text/csv'],
      ['Uploaded by', 'ada'],
      ['Source', 'data/countries.csv']
    ]);
    // The exact figure where the size is rounded.
    expect(facts[0].title).toBe(`${(3 * 1024 ** 3).toLocaleString()} bytes`);
  });

  it('says when the object was modified, with the exact time in the tooltip', () => {
    const seconds = Date.now() / 1000 - 7200;
    const facts = previewFacts(
      preview({ info: { ...preview().info, last_modified: seconds } }),
      trans
    );
    const modified = facts.find(f => f.label === 'Modified');
    expect(modified?.value).toBe('2 hours ago');
    expect(modified?.title).toBeTruthy();
  });
});

describe('bytesReadNote', () => {
  it('says how much of the object the preview read', () => {
    expect(bytesReadNote(preview(), trans)).toBe(
      'Read 64 KiB of 3.0 GiB from the data lake'
    );
    expect(bytesReadNote(preview({ bytes_read: 0 }), trans)).toBeNull();
  });
});

describe('parquetSummary and rowsCaption', () => {
  it('say the size of the file and of what is shown', () => {
    const parquet = {
      num_rows: 400000,
      num_row_groups: 4,
      created_by: null,
      format_version: '2.6',
      columns: [
        { name: 'id', type: 'int64', nullable: true },
        { name: 'city', type: 'string', nullable: true }
      ],
      row_groups: []
    };
    expect(parquetSummary(parquet, trans)).toBe(
      `${(400000).toLocaleString()} rows in 4 row groups · 2 columns`
    );
    const rows = [['1'], ['2']];
    expect(rowsCaption({ columns: ['a'], rows, more: true }, trans)).toBe(
      'The first 2 rows'
    );
    expect(rowsCaption({ columns: ['a'], rows, more: false }, trans)).toBe(
      'All 2 rows'
    );
  });
});
