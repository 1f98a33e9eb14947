import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatBytes } from '../../logic/format';
import { AtRiskModel } from '../../models/atrisk';
import { IHomeActions } from '../actions';
import {
  IAtRisk,
  IPackage,
  ISkippedLocation,
  IWatchedLocation
} from '../../api/types';
import { EntryRow } from '../common/EntryRow';
import { Section } from '../common/Section';

export interface IAtRiskSectionProps {
  model: AtRiskModel;
  trans: TranslationBundle;
  /** What the rows' buttons run: rescue into home, copy the pip command, send. */
  actions: IHomeActions;
}

/** "Lost at restart": the user's files in non-persistent places, and packages installed there. */
export function AtRiskSection(props: IAtRiskSectionProps): JSX.Element {
  const { model, trans } = props;
  const atRisk = model.atRisk;
  const locations = (atRisk?.locations ?? []).filter(listed);
  const packages = atRisk?.packages ?? [];
  const nothing = atRisk && locations.length === 0 && packages.length === 0;
  return (
    <Section
      id="at-risk"
      title={trans.__('Lost at restart')}
      refreshTooltip={trans.__('Look again')}
      onRefresh={() => void model.lookAgain()}
      refreshEnabled={!model.isFetching}
    >
      {!atRisk && model.error && (
        <p className="jp-DataLake-message">{model.error.message}</p>
      )}
      {!atRisk && !model.error && (
        <p className="jp-DataLake-muted">{trans.__('Looking…')}</p>
      )}
      {nothing && (
        <p className="jp-DataLake-muted jp-DataLake-safe">
          {trans.__(
            'Nothing at risk: nothing of yours sits where a restart would delete it.'
          )}
        </p>
      )}
      {locations.map(location => (
        <LocationView key={location.path} location={location} {...props} />
      ))}
      {packages.length > 0 && <PackagesView packages={packages} {...props} />}
      {atRisk && <UnlistedView atRisk={atRisk} trans={trans} />}
    </Section>
  );
}

/** Whether a watched place gets its list of entries: lost at restart, and something of yours. */
function listed(location: IWatchedLocation): boolean {
  return !location.persistent && location.entry_count > 0;
}

/**
 * Why each watched place without a list is not listed, so that an absent /tmp reads as kept
 * rather than as forgotten.
 */
function UnlistedView(props: { atRisk: IAtRisk; trans: TranslationBundle }) {
  const { atRisk, trans } = props;
  const lines = [
    ...atRisk.locations
      .filter(location => !listed(location))
      .map(location => ({
        path: location.path,
        text: unlistedReason(location, trans)
      })),
    ...(atRisk.skipped ?? []).map(place => ({
      path: place.path,
      text: skippedReason(place, trans)
    }))
  ];
  if (lines.length === 0) {
    return null;
  }
  return (
    <ul
      className="jp-DataLake-unlisted"
      aria-label={trans.__('Watched places not listed')}
    >
      {lines.map(line => (
        <li key={line.path} className="jp-DataLake-muted" data-path={line.path}>
          {line.text}
        </li>
      ))}
    </ul>
  );
}

function unlistedReason(
  location: IWatchedLocation,
  trans: TranslationBundle
): string {
  if (location.persistent) {
    return trans.__('%1 is %2, so it is kept.', location.path, location.reason);
  }
  if (!location.writable) {
    return trans.__(
      '%1 is %2, but you cannot write there, so nothing of yours is at risk.',
      location.path,
      location.reason
    );
  }
  return trans.__(
    'Nothing of yours in %1, which is %2.',
    location.path,
    location.reason
  );
}

function skippedReason(
  place: ISkippedLocation,
  trans: TranslationBundle
): string {
  return place.same_as
    ? trans.__('%1 is the same folder as %2.', place.path, place.same_as)
    : trans.__('%1 does not exist here.', place.path);
}

function LocationView(
  props: IAtRiskSectionProps & { location: IWatchedLocation }
) {
  const { location, trans, actions } = props;
  return (
    <div className="jp-DataLake-location" data-path={location.path}>
      <h4 title={location.reason}>
        {location.path}{' '}
        <span className="jp-DataLake-muted">
          {trans._n(
            '%2 in %1 file',
            '%2 in %1 files',
            location.files,
            formatBytes(location.bytes)
          )}
        </span>
      </h4>
      {location.note && (
        <p className="jp-DataLake-muted jp-DataLake-note">{location.note}</p>
      )}
      <ul aria-label={trans.__('Lost at restart in %1', location.path)}>
        {location.entries.map(entry => (
          <EntryRow
            key={entry.path}
            path={entry.path}
            label={entry.name}
            bytes={entry.bytes}
            isFolder={entry.is_dir}
            action={{
              text: trans.__('Move into home'),
              title: trans.__('Move into home'),
              ariaLabel: trans.__('Move %1 into home', entry.path),
              onClick: () => actions.rescue(entry.path)
            }}
            sendToLake={{
              trans,
              onSend: (path: string) => actions.sendToLake(path)
            }}
          />
        ))}
      </ul>
      {location.entry_count > location.entries.length && (
        <button
          className="jp-DataLake-linkButton"
          onClick={() => void props.model.setShowAll(true)}
        >
          {trans.__('Show all %1', location.entry_count)}
        </button>
      )}
    </div>
  );
}

function PackagesView(props: IAtRiskSectionProps & { packages: IPackage[] }) {
  const { packages, trans, actions } = props;
  return (
    <div className="jp-DataLake-packages">
      <h4>{trans.__('Packages installed outside home')}</h4>
      <ul aria-label={trans.__('Packages installed outside home')}>
        {packages.map(pkg => (
          <li key={pkg.name} className="jp-DataLake-entry" title={pkg.location}>
            <span className="jp-DataLake-entryPath">
              {pkg.name} {pkg.version}
            </span>
          </li>
        ))}
      </ul>
      <button
        className="jp-mod-styled jp-DataLake-copyPip"
        onClick={() => actions.copyPipCommand(packages)}
      >
        {trans.__('Copy pip install --user command')}
      </button>
    </div>
  );
}
