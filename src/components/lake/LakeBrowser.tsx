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
import { ILakeActions } from '../actions';
import { IconButton } from '../common/IconButton';
import { useSignal } from '../common/signal';
import { AreaTabs, PANEL_ID, tabId } from './AreaTabs';
import { Breadcrumbs } from './Breadcrumbs';
import { Listing } from './Listing';

export interface ILakeBrowserProps {
  model: LakeBrowserModel;
  trans: TranslationBundle;
  actions: ILakeActions;
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

/**
 * The data lake browser: the configured areas as tabs, the folder shown with its path, and its
 * rows. Files dropped on it, or picked with "Upload files", go into the folder shown, where the
 * user may write; where they may not, Upload is disabled and a line says why.
 */
export function LakeBrowser(props: ILakeBrowserProps): JSX.Element {
  const { model, trans, actions } = props;
  useSignal(model.changed);
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

  const go = (area: Area, prefix: string) => {
    setFilter('');
    void model.open(area, prefix);
  };
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
  const root = area?.title ?? model.area;
  const unreadable = area ? readRefusal(area, trans) : null;
  // Said once, above the rows; a refused listing says it for itself.
  const readOnly = area && !unreadable ? writeRefusal(area, trans) : null;
  const writable = !unreadable && !readOnly;
  return (
    <div
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
        role="tabpanel"
        id={PANEL_ID}
        aria-labelledby={tabId(model.area)}
        className="jp-DataLake-lakePanel"
      >
        <Breadcrumbs
          root={root}
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
          <input
            type="search"
            className="jp-mod-styled jp-DataLake-lakeFilter"
            aria-label={trans.__('Filter by name')}
            placeholder={trans.__('Filter by name')}
            value={filter}
            onChange={event => setFilter(event.target.value)}
          />
        </div>
        {readOnly && (
          <p className="jp-DataLake-muted jp-DataLake-lakeReadOnly">
            {readOnly}
          </p>
        )}
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
            [root, model.prefix].filter(Boolean).join('/')
          )}
          onOpen={entry =>
            go(model.area, [model.prefix, entry.name].filter(Boolean).join('/'))
          }
          onUp={() => {
            setFilter('');
            void model.up();
          }}
        />
      </div>
    </div>
  );
}
