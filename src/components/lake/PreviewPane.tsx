import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IParquetSchema, IPreview } from '../../api/types';
import {
  bytesReadNote,
  objectName,
  parquetSummary,
  previewFacts,
  rowsCaption
} from '../../logic/preview';
import { PreviewModel } from '../../models/preview';
import { IconButton } from '../common/IconButton';
import { useSignal } from '../common/signal';
import { PreviewGrid } from './PreviewGrid';

export interface IPreviewPaneProps {
  model: PreviewModel;
  trans: TranslationBundle;
}

/**
 * The preview of the object selected in the lake browser, below the listing (beside it in
 * the wide tab): the first rows of a table in a grid, a Parquet file's schema, the head of a
 * text, an image, or why there is nothing to show; and what is known of the object. Nothing
 * is shown while no single object is selected.
 */
export function PreviewPane(props: IPreviewPaneProps): JSX.Element | null {
  const { model, trans } = props;
  useSignal(model.changed);
  const target = model.target;
  if (!target) {
    return null;
  }
  const name = objectName(target.key);
  const preview = model.preview;
  return (
    <section
      className="jp-DataLake-preview"
      aria-label={trans.__('Preview of %1', name)}
      aria-busy={model.isLoading}
    >
      <div className="jp-DataLake-previewHeader">
        <h3 className="jp-DataLake-previewTitle" title={target.key}>
          {name}
        </h3>
        {model.isLoading && (
          <span className="jp-DataLake-muted">{trans.__('Loading…')}</span>
        )}
        <IconButton
          className="jp-DataLake-previewRefresh"
          icon={refreshIcon}
          label={trans.__('Preview again')}
          onClick={() => void model.refresh()}
        />
      </div>
      {model.error && (
        <p className="jp-DataLake-previewMessage jp-mod-error" role="alert">
          {model.error.message}
        </p>
      )}
      {preview && (
        <PreviewBody
          preview={preview}
          model={model}
          name={name}
          trans={trans}
        />
      )}
      {preview && <Facts preview={preview} trans={trans} />}
    </section>
  );
}

function PreviewBody(props: {
  preview: IPreview;
  model: PreviewModel;
  name: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { preview, model, name, trans } = props;
  const image = model.imageUrl();
  const read = bytesReadNote(preview, trans);
  return (
    <div className="jp-DataLake-previewBody">
      {preview.message && (
        <p className="jp-DataLake-previewMessage" role="status">
          {preview.message}
        </p>
      )}
      {preview.install && (
        <code className="jp-DataLake-previewInstall">{preview.install}</code>
      )}
      {preview.parquet && (
        <ParquetSchema parquet={preview.parquet} trans={trans} />
      )}
      {preview.table && (
        <>
          <p className="jp-DataLake-previewCaption">
            {rowsCaption(preview.table, trans)}
          </p>
          <PreviewGrid
            table={preview.table}
            label={trans.__(
              'The first rows of %1; columns: %2',
              name,
              preview.table.columns.join(', ')
            )}
          />
        </>
      )}
      {preview.text && (
        <>
          <pre className="jp-DataLake-previewText">{preview.text.head}</pre>
          {preview.text.truncated && (
            <p className="jp-DataLake-muted">
              {trans.__('The start of the file; download it to see the rest.')}
            </p>
          )}
        </>
      )}
      {image && (
        <img className="jp-DataLake-previewImage" src={image} alt={name} />
      )}
      {preview.notes.length > 0 && (
        <ul className="jp-DataLake-previewNotes">
          {preview.notes.map(note => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {read && (
        <p className="jp-DataLake-muted jp-DataLake-previewRead">{read}</p>
      )}
    </div>
  );
}

function ParquetSchema(props: {
  parquet: IParquetSchema;
  trans: TranslationBundle;
}): JSX.Element {
  const { parquet, trans } = props;
  return (
    <div className="jp-DataLake-parquetSchema">
      <p className="jp-DataLake-previewCaption">
        {parquetSummary(parquet, trans)}
      </p>
      <table
        className="jp-DataLake-schemaTable"
        aria-label={trans.__('Schema')}
      >
        <thead>
          <tr>
            <th scope="col">{trans.__('Column')}</th>
            <th scope="col">{trans.__('Type')}</th>
            <th scope="col">{trans.__('Compression')}</th>
          </tr>
        </thead>
        <tbody>
          {parquet.columns.map(column => (
            <tr key={column.name}>
              <td>{column.name}</td>
              <td>
                {column.type}
                {column.nullable ? '' : ' ' + trans.__('(not null)')}
              </td>
              <td>{column.compression ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Facts(props: {
  preview: IPreview;
  trans: TranslationBundle;
}): JSX.Element {
  const facts = previewFacts(props.preview, props.trans);
  return (
    <dl className="jp-DataLake-previewFacts">
      {facts.map(fact => (
        <React.Fragment key={fact.label}>
          <dt>{fact.label}</dt>
          <dd title={fact.title}>{fact.value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}
