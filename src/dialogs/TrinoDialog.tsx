import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ITrinoTable } from '../api/types';
import { formatCount } from '../logic/search';

/**
 * The body of the "Copy Trino table" dialog: the statement, to read before it is copied, and
 * what it was made from (the format, how many files, which were read for the columns).
 */
export class TrinoDialog extends ReactWidget {
  constructor(options: { table: ITrinoTable; trans: TranslationBundle }) {
    super();
    this._options = options;
    this.addClass('jp-DataLake-trinoDialog');
  }

  render(): JSX.Element {
    const { table, trans } = this._options;
    return (
      <div className="jp-DataLake-trinoForm">
        <p>{trinoSummary(table, trans)}</p>
        <pre
          className="jp-DataLake-trinoStatement"
          aria-label={trans.__('CREATE TABLE statement')}
          tabIndex={0}
        >
          {table.statement}
        </pre>
      </div>
    );
  }

  private _options: { table: ITrinoTable; trans: TranslationBundle };
}

/** What the statement reads, in one or two sentences. */
export function trinoSummary(
  table: ITrinoTable,
  trans: TranslationBundle
): string {
  const format = table.format === 'CSV' ? 'CSV' : 'Parquet';
  const parts = [
    // %1 is the count as given; %4 the same, written with thousands separators.
    trans._n(
      'Trino reads the one %2 file in %3 as this table.',
      'Trino reads the %4 %2 files in %3 as this table.',
      table.files,
      format,
      table.location,
      formatCount(table.files)
    )
  ];
  if (table.checked < table.files) {
    parts.push(
      trans.__(
        'The columns come from the first %1 files; the others were not read.',
        formatCount(table.checked)
      )
    );
  }
  if (table.format === 'CSV') {
    parts.push(
      trans.__('Every column is VARCHAR, as Trino’s Hive CSV format requires.')
    );
  }
  if (table.subfolders > 0) {
    parts.push(
      trans._n(
        'Its sub-folder is not part of the table.',
        'Its %1 sub-folders are not part of the table.',
        table.subfolders
      )
    );
  }
  return parts.join(' ');
}
