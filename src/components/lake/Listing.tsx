import * as React from 'react';

import { readRefusal, writeRefusal } from '../../logic/areas';
import { IListingProps, LakeGrid } from './LakeGrid';

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
          {trans.__('No loaded name contains “%1”.', props.filter.trim())}
        </p>
      )}
      {problem}
      {model.nextCursor && (
        <div className="jp-DataLake-lakeMore">
          <span className="jp-DataLake-muted">
            {trans._n(
              '%1 entry loaded; there are more.',
              '%1 entries loaded; there are more.',
              loaded
            )}
          </span>
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
