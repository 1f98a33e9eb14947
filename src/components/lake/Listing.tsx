import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { readRefusal, writeRefusal } from '../../logic/areas';
import { LakeBrowserModel } from '../../models/lake';
import { IListingProps, LakeGrid } from './LakeGrid';

/**
 * What the sort and the filter cover while the folder is not loaded whole: its pages still
 * coming in, or only the first entries of a folder too large to load at once.
 */
function coverage(model: LakeBrowserModel, trans: TranslationBundle): string {
  const loaded = model.entries.length;
  if (loaded < model.levelLimit) {
    return trans.__('Loading the whole folder: %1 entries so far…', loaded);
  }
  return trans.__(
    'First %1 entries loaded; sorting and the filter cover only these.',
    loaded
  );
}

/** The folder's rows, or why there are none: never a blank panel. */
export function Listing(props: IListingProps): JSX.Element {
  const { model, rows, trans } = props;
  const area = model.current;
  const refused = area && readRefusal(area, trans);
  if (refused) {
    // The status said so: S3 would refuse the listing, so it is not asked for.
    return (
      <div
        className="jp-DataLake-problem jp-DataLake-lakeRefused"
        role="status"
      >
        <p className="jp-DataLake-message">{refused}</p>
      </div>
    );
  }
  if (!area && model.areas.length === 0 && !model.area) {
    return (
      <p className="jp-DataLake-muted jp-DataLake-lakeNoAreas">
        {trans.__('No area of the data lake is configured for you.')}
      </p>
    );
  }
  const writable = !area || !writeRefusal(area, trans);
  const problem = model.error && (
    <div className="jp-DataLake-problem jp-DataLake-lakeError" role="alert">
      <p className="jp-DataLake-message">{model.error.message}</p>
      <button
        className="jp-mod-styled jp-mod-accept jp-DataLake-lakeRetry"
        aria-label={trans.__('Retry listing the folder')}
        onClick={() => void model.retry()}
      >
        {trans.__('Retry')}
      </button>
    </div>
  );
  if (!model.hasLoaded) {
    return (
      problem || (
        <p className="jp-DataLake-muted jp-DataLake-lakeLoading">
          {trans.__('Loading…')}
        </p>
      )
    );
  }
  const loaded = model.entries.length;
  const empty = loaded === 0 && !model.nextCursor;
  return (
    <>
      {empty && (
        <p className="jp-DataLake-lakeEmpty">
          {writable
            ? trans.__('This folder is empty. Drop files here to upload.')
            : trans.__('This folder is empty.')}
        </p>
      )}
      {rows.length > 0 && <LakeGrid {...props} />}
      {loaded > 0 && rows.length === 0 && (
        <p className="jp-DataLake-muted jp-DataLake-lakeNoMatch">
          {model.isComplete
            ? trans.__(
                'No name in this folder contains “%1”.',
                props.filter.trim()
              )
            : trans.__(
                'None of the first %1 names loaded contains “%2”.',
                loaded,
                props.filter.trim()
              )}
        </p>
      )}
      {problem}
      {model.nextCursor && (
        <div className="jp-DataLake-lakeMore" role="status">
          <span className="jp-DataLake-muted">{coverage(model, trans)}</span>
          <button
            className="jp-DataLake-linkButton jp-DataLake-loadMore"
            onClick={() => void model.loadMore()}
            disabled={model.isLoading}
          >
            {model.isLoading ? trans.__('Loading…') : trans.__('Load more')}
          </button>
        </div>
      )}
    </>
  );
}
