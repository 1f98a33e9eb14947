import { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon, folderIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ISearchMatch } from '../../api/types';
import { formatBytes } from '../../logic/format';
import { searchSummary } from '../../logic/search';
import { LakeSearch } from '../../models/search';
import { IconButton } from '../common/IconButton';
import { useSignal } from '../common/signal';

export interface ISearchResultsProps {
  search: LakeSearch;
  trans: TranslationBundle;
  /** Show a match in its folder. */
  onOpen: (match: ISearchMatch) => void;
  onClose: () => void;
}

/**
 * The matches of a search below the folder, as they arrive, with its progress, a Stop while it
 * runs, and the line that says it ended at the bound.
 */
export function SearchResults(props: ISearchResultsProps): JSX.Element | null {
  const { search, trans, onOpen, onClose } = props;
  useSignal(search.changed);
  const query = search.query;
  if (!query) {
    return null;
  }
  const summary = searchSummary(
    {
      text: query.text,
      found: search.matches.length,
      searched: search.searched,
      running: search.running,
      stopped: search.stopped,
      bounded: search.bounded,
      error: search.error
    },
    trans
  );
  return (
    <section
      className="jp-DataLake-search"
      aria-label={trans.__('Search results for %1', query.text)}
    >
      <div className="jp-DataLake-searchHead">
        <p
          className="jp-DataLake-muted jp-DataLake-searchSummary"
          role="status"
          data-state={
            search.error
              ? 'failed'
              : search.running
                ? 'running'
                : search.bounded !== null
                  ? 'bounded'
                  : 'done'
          }
        >
          {summary}
        </p>
        {search.running && (
          <button
            className="jp-DataLake-linkButton jp-DataLake-searchStop"
            onClick={() => search.stop()}
          >
            {trans.__('Stop')}
          </button>
        )}
        <IconButton
          className="jp-DataLake-searchClose"
          icon={closeIcon}
          label={trans.__('Close the search results')}
          onClick={onClose}
        />
      </div>
      <ul className="jp-DataLake-searchMatches">
        {search.matches.map(match => (
          <li key={match.key}>
            <button
              className="jp-DataLake-searchMatch"
              data-key={match.key}
              title={trans.__('Show %1 in its folder', match.path)}
              onClick={() => onOpen(match)}
            >
              {match.folder && (
                <folderIcon.react
                  tag="span"
                  className="jp-DataLake-entryIcon"
                />
              )}
              <span className="jp-DataLake-searchPath">
                <bdi>{match.path}</bdi>
              </span>
              {!match.folder && (
                <span className="jp-DataLake-muted jp-DataLake-searchSize">
                  {formatBytes(match.size)}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
