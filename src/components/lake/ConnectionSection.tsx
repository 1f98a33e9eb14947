import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { StatusModel } from '../../models/status';
import { ConnectionState, IArea } from '../../api/types';
import { isReadable, rightsText } from '../../logic/areas';
import { Section } from '../common/Section';

/** A short title for each connection state, in the user's language. */
export function connectionTitle(
  state: ConnectionState | 'server-unreachable' | 'checking',
  trans: TranslationBundle
): string {
  switch (state) {
    case 'ok':
      return trans.__('Connected');
    case 'checking':
      return trans.__('Checking the data lake…');
    case 'server-unreachable':
      return trans.__('Jupyter server not reachable');
    case 'not-configured':
      return trans.__('Data lake not configured');
    case 'invalid-config':
      return trans.__('Invalid data lake configuration');
    case 'unreachable':
      return trans.__('Data lake unreachable');
    case 'bad-credentials':
      return trans.__('Credentials rejected');
    case 'access-denied':
      return trans.__('Access denied');
    case 'no-such-bucket':
      return trans.__('Bucket not found');
    default:
      return trans.__('Data lake error');
  }
}

export interface IConnectionSectionProps {
  model: StatusModel;
  trans: TranslationBundle;
  /** Shown below the connection's details while the lake can be used: its browser. */
  children?: React.ReactNode;
}

/** The data lake's connection state: where it is, or why it cannot be used and what to do. */
export function ConnectionSection(props: IConnectionSectionProps): JSX.Element {
  const { model, trans } = props;
  const status = model.status;
  const serverError = model.error;
  const state: ConnectionState | 'server-unreachable' | 'checking' = serverError
    ? 'server-unreachable'
    : (status?.connection.state ?? 'checking');
  const message = serverError
    ? serverError.message
    : (status?.connection.message ?? '');
  const hint = serverError
    ? trans.__('Check that your server is running, then retry.')
    : (status?.connection.hint ?? '');
  const ok = state === 'ok';

  return (
    <Section
      id="connection"
      // The panel is the data lake's; this section is its connection.
      title={trans.__('Connection')}
      refreshTooltip={trans.__('Check the connection again')}
      onRefresh={() => void model.refresh()}
      refreshEnabled={!model.isFetching}
    >
      <div
        className={`jp-DataLake-connectionState jp-DataLake-state-${state}`}
        data-state={state}
        role="status"
        aria-live="polite"
      >
        <span className="jp-DataLake-dot" aria-hidden="true" />
        <span className="jp-DataLake-connectionTitle">
          {connectionTitle(state, trans)}
        </span>
      </div>
      {status && status.bucket && (
        <dl className="jp-DataLake-facts">
          <dt>{trans.__('Bucket')}</dt>
          <dd>{status.bucket}</dd>
          {status.endpoint_host && (
            <>
              <dt>{trans.__('Endpoint')}</dt>
              <dd>{status.endpoint_host}</dd>
            </>
          )}
          {status.user && (
            <>
              <dt>{trans.__('User')}</dt>
              <dd>{status.user}</dd>
            </>
          )}
          {status.areas && status.areas.length > 0 && (
            <>
              <dt>{trans.__('Areas')}</dt>
              <dd>
                <AreaRights
                  areas={status.areas}
                  bucket={status.bucket}
                  trans={trans}
                />
              </dd>
            </>
          )}
        </dl>
      )}
      {ok && props.children}
      {!ok && state !== 'checking' && (
        <div className="jp-DataLake-problem">
          <p className="jp-DataLake-message">{message}</p>
          {hint && <p className="jp-DataLake-hint">{hint}</p>}
          <button
            className="jp-mod-styled jp-mod-accept jp-DataLake-retry"
            onClick={() => void model.refresh()}
            disabled={model.isFetching}
          >
            {model.isFetching ? trans.__('Checking…') : trans.__('Retry')}
          </button>
        </div>
      )}
    </Section>
  );
}

/**
 * Each configured area with what the user may do there, one line each: "My area users/ada/ —
 * read, write, delete", "Raw raw/ — read only", "users/bob/ — refused: …". The place is its
 * prefix in the status's bucket, and its full URI where it lives in another bucket.
 */
function AreaRights(props: {
  areas: readonly IArea[];
  bucket: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { areas, bucket, trans } = props;
  return (
    <ul className="jp-DataLake-areaRights" aria-label={trans.__('Areas')}>
      {areas.map(area => (
        <li
          key={area.id}
          data-area={area.id}
          className={isReadable(area) ? undefined : 'jp-mod-refused'}
        >
          <span className="jp-DataLake-areaTitle">{area.title}</span>{' '}
          <code className="jp-DataLake-muted" title={area.uri}>
            {area.bucket === bucket ? area.prefix : area.uri}
          </code>
          {' — '}
          <span className="jp-DataLake-areaRight">
            {rightsText(area, trans)}
          </span>
        </li>
      ))}
    </ul>
  );
}
