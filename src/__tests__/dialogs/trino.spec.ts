import { nullTranslator } from '@jupyterlab/translation';

import { ITrinoTable } from '../../api/types';
import { trinoSummary } from '../../dialogs/TrinoDialog';

const trans = nullTranslator.load('jupyterlab_datalake');

const table: ITrinoTable = {
  area: 'shared',
  prefix: 'sales',
  location: 's3a://datalake/shared/sales/',
  format: 'CSV',
  catalog: 'hive',
  schema: 'default',
  table: 'sales',
  columns: [{ name: 'id', type: 'VARCHAR' }],
  files: 2,
  checked: 2,
  subfolders: 0,
  statement: 'CREATE TABLE …'
};

describe('trinoSummary', () => {
  it('says what Trino reads, and that CSV columns are VARCHAR', () => {
    expect(trinoSummary(table, trans)).toBe(
      'Trino reads the 2 CSV files in s3a://datalake/shared/sales/ as this table. ' +
        'Every column is VARCHAR, as Trino’s Hive CSV format requires.'
    );
  });

  it('says which files were not read and that sub-folders are left out', () => {
    const text = trinoSummary(
      {
        ...table,
        format: 'PARQUET',
        files: 5000,
        checked: 1000,
        subfolders: 1
      },
      trans
    );
    expect(text).toBe(
      'Trino reads the 5,000 Parquet files in s3a://datalake/shared/sales/ as this table. ' +
        'The columns come from the first 1,000 files; the others were not read. ' +
        'Its sub-folder is not part of the table.'
    );
  });
});
