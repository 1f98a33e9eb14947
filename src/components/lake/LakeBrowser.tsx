import { TranslationBundle } from '@jupyterlab/translation';
import { fileUploadIcon, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { Area } from '../../api/types';
import { readRefusal, writeRefusal } from '../../logic/areas';
import {
  filterEntries,
  ISort,
  sortEntries,
  SortKey
} from '../../logic/entries';
import { LakeBrowserModel } from '../../models/lake';
import { matchFolder } from '../../logic/search';
import { LakeSearch } from '../../models/search';
import { ILakeActions } from '../actions';
import { IconButton } from '../common/IconButton';
import { useSignal } from '../common/signal';
import { AreaTabs, PANEL_ID, tabId } from './AreaTabs';
import { Breadcrumbs } from './Breadcrumbs';
import { Listing } from './Listing';
import { SearchResults } from './SearchResults';

export interface ILakeBrowserProps {
  model: LakeBrowserModel;
  trans: TranslationBundle;
  actions: ILakeActions;
  /** Find in this folder and below; without it the filter covers the folder shown only. */
  search?: LakeSearch;
}

/**
 * Files dropped from the desktop. A dropped folder arrives as a File that cannot be read;
 * it is named apart, so that the user hears why it was not uploaded.
 */
export function droppedFiles(data: DataTransfer): {
  files: File[];
  folders: string[];
} {
  const items = Array.from(data.items ?? []);
  if (items.length === 0) {
    return { files: Array.from(data.files ?? []), folders: [] };
  }
  const files: File[] = [];
  const folders: string[] = [];
  for (const item of items) {
    if (item.kind !== 'file') {
      continue;
    }
    const entry = item.webkitGetAsEntry?.();
    const file = item.getAsFile();
    if (entry?.isDirectory) {
      folders.push(entry.name);
    } else if (file) {
      files.push(file);
    }
  }
  return { files, folders };
}

function hasFiles(event: React.DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** What the file browser puts on the Lumino drags of its items: their paths. */
export const CONTENTS_MIME = 'application/x-jupyter-icontents';

/**
 * The part of a Lumino drag event (`@lumino/dragdrop`'s `Drag.Event`) that a drop of file
 * browser items needs; the file browser starts those drags with 'move' as the one action.
 */
interface ILuminoDragEvent extends Event {
  readonly mimeData: {
    hasData(mime: string): boolean;
    getData(mime: string): unknown;
  };
  dropAction: string;
  readonly proposedAction: string;
  readonly relatedTarget: EventTarget | null;
}

/**
 * Take Lumino drags of file browser items on `node`: the files dragged onto the lake are
 * sent into the folder shown. `writable` says whether the folder takes them now.
 */
function useFileBrowserDrop(
  node: React.RefObject<HTMLElement>,
  writable: () => boolean,
  setDropping: (dropping: boolean) => void,
  send: (paths: string[]) => void
): void {
  const latest = React.useRef({ writable, setDropping, send });
  latest.current = { writable, setDropping, send };
  React.useEffect(() => {
    const target = node.current;
    if (!target) {
      return;
    }
    const ours = (event: Event): event is ILuminoDragEvent =>
      (event as ILuminoDragEvent).mimeData?.hasData(CONTENTS_MIME) === true;
    const over = (event: Event) => {
      if (!ours(event)) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      const can = latest.current.writable();
      // 'move' is the one action the file browser's drags allow; the files stay in home.
      event.dropAction = can ? event.proposedAction : 'none';
      latest.current.setDropping(can);
    };
    const leave = (event: Event) => {
      if (ours(event) && !target.contains(event.relatedTarget as Node)) {
        latest.current.setDropping(false);
      }
    };
    const drop = (event: Event) => {
      if (!ours(event)) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      latest.current.setDropping(false);
      if (!latest.current.writable()) {
        event.dropAction = 'none';
        return;
      }
      event.dropAction = event.proposedAction;
      const paths = event.mimeData.getData(CONTENTS_MIME);
      if (Array.isArray(paths)) {
        latest.current.send(paths.filter(path => typeof path === 'string'));
      }
    };
    target.addEventListener('lm-dragenter', over);
    target.addEventListener('lm-dragover', over);
    target.addEventListener('lm-dragleave', leave);
    target.addEventListener('lm-drop', drop);
    return () => {
      target.removeEventListener('lm-dragenter', over);
      target.removeEventListener('lm-dragover', over);
      target.removeEventListener('lm-dragleave', leave);
      target.removeEventListener('lm-drop', drop);
    };
  }, [node]);
}

/**
 * The data lake browser: the configured areas as tabs, the folder shown with its path, and its
 * rows. Files dropped on it, or picked with "Upload files", go into the folder shown, where the
 * user may write; where they may not, Upload is disabled and a line says why.
 */
export function LakeBrowser(props: ILakeBrowserProps): JSX.Element {
  const { model, trans, actions, search } = props;
  useSignal(model.changed);
  // A search's results take the listing's place while they are shown.
  const [searching, setSearching] = React.useState(false);
  useSignal(model.infoChanged);
  const [sort, setSort] = React.useState<ISort>({
    key: 'name',
    descending: false
  });
  const [filter, setFilter] = React.useState('');
  const [dropping, setDropping] = React.useState(false);
  // dragenter and dragleave fire for every child crossed; count them to know when it left.
  const dragDepth = React.useRef(0);
  const input = React.useRef<HTMLInputElement>(null);
  const root = React.useRef<HTMLDivElement>(null);
  const tabPanel = React.useRef<HTMLDivElement>(null);
  // Navigation from inside the listing keeps the focus there (LakeGrid reads and clears it).
  const focusRequest = React.useRef<{ key: string | null } | null>(null);

  // What others put in the lake since it was last shown.
  React.useEffect(() => {
    if (!model.isLoading) {
      void model.refresh();
    }
  }, [model]);

  const sorted = React.useMemo(
    () => sortEntries(model.entries, sort),
    [model.entries, sort]
  );
  const rows = React.useMemo(
    () => filterEntries(sorted, filter),
    [sorted, filter]
  );

  const searchBelow = () => {
    if (search && filter.trim()) {
      setSearching(true);
      void search.start(model.area, model.prefix, filter.trim());
    }
  };
  const closeSearch = () => {
    search?.clear();
    setSearching(false);
  };
  const go = (area: Area, prefix: string) => {
    closeSearch();
    setFilter('');
    void model.open(area, prefix);
  };
  /** Navigate from inside the listing: the focus stays in it. */
  const goFromListing = (navigate: () => void, key: string | null) => {
    focusRequest.current = { key };
    navigate();
  };
  // A folder without rows has no row to focus: the listing itself takes it, and Backspace.
  React.useEffect(() => {
    if (
      focusRequest.current &&
      model.hasLoaded &&
      model.entries.length === 0 &&
      !model.nextCursor
    ) {
      focusRequest.current = null;
      tabPanel.current?.focus();
    }
  });
  const sortBy = (key: SortKey) =>
    setSort(current =>
      current.key === key
        ? { key, descending: !current.descending }
        : // Names read A to Z; sizes and dates are looked at for the largest and newest.
          { key, descending: key !== 'name' }
    );
  const endDrag = () => {
    dragDepth.current = 0;
    setDropping(false);
  };

  const area = model.current;
  const title = area?.title ?? model.area;
  const unreadable = area ? readRefusal(area, trans) : null;
  // Said once, above the rows; a refused listing says it for itself.
  const readOnly = area && !unreadable ? writeRefusal(area, trans) : null;
  const writable = !unreadable && !readOnly;
  useFileBrowserDrop(root, () => writable, setDropping, actions.sendHere);
  return (
    <div
      ref={root}
      className={
        'jp-DataLake-lakeBrowser' + (dropping ? ' jp-mod-dropTarget' : '')
      }
      onDragEnter={event => {
        if (hasFiles(event)) {
          event.preventDefault();
          dragDepth.current++;
          setDropping(writable);
        }
      }}
      onDragOver={event => {
        if (hasFiles(event)) {
          // Prevented either way, so that the web browser does not open the file instead.
          event.preventDefault();
          event.dataTransfer.dropEffect = writable ? 'copy' : 'none';
        }
      }}
      onDragLeave={event => {
        if (hasFiles(event) && --dragDepth.current <= 0) {
          endDrag();
        }
      }}
      onDrop={event => {
        if (!hasFiles(event)) {
          return;
        }
        event.preventDefault();
        event.stopPropagation();
        endDrag();
        if (!writable) {
          return;
        }
        const { files, folders } = droppedFiles(event.dataTransfer);
        actions.upload(files, folders);
      }}
    >
      <AreaTabs
        areas={model.areas}
        area={model.area}
        trans={trans}
        onOpen={id => go(id, '')}
      />
      <div
        ref={tabPanel}
        role="tabpanel"
        id={PANEL_ID}
        aria-labelledby={tabId(model.area)}
        className="jp-DataLake-lakePanel"
        tabIndex={-1}
        onKeyDown={event => {
          if (
            event.key === 'Backspace' &&
            event.target === event.currentTarget &&
            model.prefix
          ) {
            event.preventDefault();
            goFromListing(() => void model.up(), model.keyPrefix);
          }
        }}
      >
        <Breadcrumbs
          root={title}
          prefix={model.prefix}
          trans={trans}
          onOpen={prefix => go(model.area, prefix)}
        />
        <div className="jp-DataLake-lakeToolbar">
          <IconButton
            className="jp-DataLake-lakeRefresh"
            icon={refreshIcon}
            label={trans.__('Refresh the list')}
            onClick={() => void model.refresh()}
          />
          <button
            className="jp-DataLake-uploadButton"
            title={
              unreadable ??
              readOnly ??
              trans.__(
                'Upload files from your computer into this folder; or drop them here'
              )
            }
            disabled={!writable}
            onClick={() => input.current?.click()}
          >
            <fileUploadIcon.react
              tag="span"
              className="jp-DataLake-entryIcon"
            />
            {trans.__('Upload files')}
          </button>
          <input
            ref={input}
            type="file"
            multiple
            className="jp-DataLake-uploadInput"
            tabIndex={-1}
            aria-hidden="true"
            onChange={event => {
              const files = Array.from(event.target.files ?? []);
              // Picking the same file again must fire a change too.
              event.target.value = '';
              if (files.length > 0) {
                actions.upload(files);
              }
            }}
          />
          {/* The filter and its search keep a line of their own where the sidebar is too
              narrow for them beside the buttons (they wrap), so neither is cut off. */}
          <div className="jp-DataLake-filterGroup">
            <input
              type="search"
              className="jp-mod-styled jp-DataLake-lakeFilter"
              aria-label={trans.__('Filter by name')}
              title={trans.__('Filter by name')}
              // Short enough for the sidebar's width beside the buttons; the label says more.
              placeholder={trans.__('Filter')}
              value={filter}
              onChange={event => setFilter(event.target.value)}
              onKeyDown={event => {
                if (event.key === 'Enter') {
                  searchBelow();
                }
              }}
            />
            {search && (
              <button
                className="jp-DataLake-linkButton jp-DataLake-searchBelow"
                title={trans.__(
                  'Find names holding the filter in this folder and every folder below it'
                )}
                disabled={!filter.trim()}
                onClick={searchBelow}
              >
                {trans.__('Search below')}
              </button>
            )}
          </div>
        </div>
        {readOnly && (
          <p className="jp-DataLake-muted jp-DataLake-lakeReadOnly">
            {readOnly}
          </p>
        )}
        {search && searching && (
          <SearchResults
            search={search}
            trans={trans}
            onClose={closeSearch}
            onOpen={match => {
              const query = search.query;
              if (query) {
                go(query.area, matchFolder(query.prefix, match));
              }
            }}
          />
        )}
        {!searching && (
          <Listing
            // A new folder starts at its top, with its first row focusable.
            key={`${model.area}:${model.prefix}`}
            model={model}
            rows={rows}
            filter={filter}
            sort={sort}
            onSort={sortBy}
            trans={trans}
            actions={actions}
            label={trans.__(
              'Contents of %1',
              [title, model.prefix].filter(Boolean).join('/')
            )}
            focusRequest={focusRequest}
            onOpen={entry =>
              goFromListing(
                () =>
                  go(
                    model.area,
                    [model.prefix, entry.name].filter(Boolean).join('/')
                  ),
                null
              )
            }
            onUp={() =>
              model.prefix &&
              goFromListing(() => {
                setFilter('');
                void model.up();
              }, model.keyPrefix)
            }
          />
        )}
      </div>
    </div>
  );
}
