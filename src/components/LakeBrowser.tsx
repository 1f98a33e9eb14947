import { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretUpIcon,
  deleteIcon,
  downloadIcon,
  fileIcon,
  fileUploadIcon,
  folderIcon,
  homeIcon,
  LabIcon,
  linkIcon,
  pythonIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import { ISignal } from '@lumino/signaling';
import * as React from 'react';

import { formatBytes, formatShortDate } from '../format';
import {
  filterEntries,
  folderTrail,
  ILakeActions,
  ILakeEntry,
  ISort,
  LakeBrowserModel,
  sortEntries,
  SortKey
} from '../lake';
import { Area } from '../tokens';

/** Every row is this tall, so that the rows in view follow from the scroll position alone. */
export const ROW_HEIGHT = 26;

/** The list grows with its rows up to this many, then scrolls. */
const ROWS_SHOWN = 15;

/** Rows rendered beyond each edge of the view, so that fast scrolling shows no gap. */
const OVERSCAN = 8;

/** How close to the end, in rows, scrolling loads the next page. */
const END_ROWS = 10;

const PANEL_ID = 'jp-DataLake-lakePanel';

export interface ILakeBrowserProps {
  model: LakeBrowserModel;
  trans: TranslationBundle;
  actions: ILakeActions;
}

/** Re-render on every emission of a signal. */
function useSignal(signal: ISignal<unknown, unknown>): void {
  const [, setCount] = React.useState(0);
  React.useEffect(() => {
    const slot = () => setCount(count => count + 1);
    signal.connect(slot);
    return () => {
      signal.disconnect(slot);
    };
  }, [signal]);
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
 * The data lake browser: the two areas as tabs, the folder shown with its path, and its
 * rows. Files dropped on it, or picked with "Upload files", go into the folder shown.
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

  const root = areaName(model.area, trans);
  return (
    <div
      className={
        'jp-DataLake-lakeBrowser' + (dropping ? ' jp-mod-dropTarget' : '')
      }
      onDragEnter={event => {
        if (hasFiles(event)) {
          event.preventDefault();
          dragDepth.current++;
          setDropping(true);
        }
      }}
      onDragOver={event => {
        if (hasFiles(event)) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
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
        const { files, folders } = droppedFiles(event.dataTransfer);
        actions.upload(files, folders);
      }}
    >
      <AreaTabs area={model.area} trans={trans} onOpen={area => go(area, '')} />
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
            title={trans.__(
              'Upload files from your computer into this folder; or drop them here'
            )}
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

function areaName(area: Area, trans: TranslationBundle): string {
  return area === 'mine' ? trans.__('My area') : trans.__('shared');
}

function tabId(area: Area): string {
  return `jp-DataLake-areaTab-${area}`;
}

function AreaTabs(props: {
  area: Area;
  trans: TranslationBundle;
  onOpen: (area: Area) => void;
}): JSX.Element {
  const { area, trans, onOpen } = props;
  const tabs: [Area, string][] = [
    ['shared', trans.__('Shared')],
    ['mine', trans.__('My area')]
  ];
  return (
    <div
      role="tablist"
      className="jp-DataLake-areaTabs"
      aria-label={trans.__('Data lake areas')}
    >
      {tabs.map(([value, label], i) => (
        <button
          key={value}
          role="tab"
          id={tabId(value)}
          className={
            'jp-DataLake-areaTab' + (value === area ? ' jp-mod-current' : '')
          }
          data-area={value}
          aria-selected={value === area}
          aria-controls={PANEL_ID}
          tabIndex={value === area ? 0 : -1}
          onClick={() => onOpen(value)}
          onKeyDown={event => {
            // Arrows move between tabs, as the tabs pattern has it.
            if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
              const next = tabs[(i + 1) % tabs.length][0];
              onOpen(next);
              const tablist = event.currentTarget.parentElement;
              tablist?.querySelector<HTMLElement>(`#${tabId(next)}`)?.focus();
            }
          }}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

function Breadcrumbs(props: {
  root: string;
  prefix: string;
  trans: TranslationBundle;
  onOpen: (prefix: string) => void;
}): JSX.Element {
  const { root, prefix, trans, onOpen } = props;
  const crumbs = [{ name: root, prefix: '' }, ...folderTrail(prefix)];
  return (
    <nav className="jp-DataLake-crumbs" aria-label={trans.__('Folder path')}>
      <ol>
        {crumbs.map((crumb, i) => (
          <li key={crumb.prefix}>
            {i > 0 && (
              <span className="jp-DataLake-crumbSeparator" aria-hidden="true">
                /
              </span>
            )}
            <button
              className="jp-DataLake-crumb"
              data-prefix={crumb.prefix}
              aria-current={i === crumbs.length - 1 ? 'location' : undefined}
              title={trans.__('Open %1', crumb.name)}
              onClick={() => onOpen(crumb.prefix)}
            >
              <bdi>{crumb.name}</bdi>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

interface IListingProps {
  model: LakeBrowserModel;
  /** The loaded rows, sorted and filtered. */
  rows: readonly ILakeEntry[];
  filter: string;
  sort: ISort;
  onSort: (key: SortKey) => void;
  trans: TranslationBundle;
  actions: ILakeActions;
  /** Names the grid for screen readers. */
  label: string;
  onOpen: (entry: ILakeEntry) => void;
  onUp: () => void;
}

/** The folder's rows, or why there are none: never a blank panel. */
function Listing(props: IListingProps): JSX.Element {
  const { model, rows, trans } = props;
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
          {trans.__('This folder is empty. Drop files here to upload.')}
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

/**
 * The rows as a grid that renders only what is in view: a folder of tens of thousands of
 * objects scrolls as lightly as one of ten. One row at a time takes the Tab key (a roving
 * tabindex); arrows move between rows.
 */
function LakeGrid(props: IListingProps): JSX.Element {
  const { model, rows, sort, trans } = props;
  const viewport = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [active, setActive] = React.useState(0);
  const focusActive = React.useRef(false);

  const height = Math.min(rows.length, ROWS_SHOWN) * ROW_HEIGHT;
  const current = Math.min(active, rows.length - 1);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    rows.length,
    Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN
  );
  const shown: number[] = [];
  for (let i = first; i < last; i++) {
    shown.push(i);
  }
  // The focused row stays rendered when scrolled away, so that focus is not lost.
  if (current < first) {
    shown.unshift(current);
  } else if (current >= last) {
    shown.push(current);
  }

  React.useEffect(() => {
    model.want(rows.slice(first, last));
  }, [model, rows, first, last]);

  React.useEffect(() => {
    if (focusActive.current) {
      focusActive.current = false;
      viewport.current
        ?.querySelector<HTMLElement>(`[data-index="${current}"]`)
        ?.focus();
    }
  });

  const moveTo = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const node = viewport.current;
    if (node) {
      const top = i * ROW_HEIGHT;
      if (top < node.scrollTop) {
        node.scrollTop = top;
      } else if (top + ROW_HEIGHT > node.scrollTop + height) {
        node.scrollTop = top + ROW_HEIGHT - height;
      }
      setScrollTop(node.scrollTop);
    }
    focusActive.current = true;
    setActive(i);
  };

  // Rows are memoised and read their handlers through this ref: a scroll step then renders
  // only the rows that come into view, not every row again with fresh closures.
  const latest = React.useRef<{
    onKeyDown: IRowHandlers['onKeyDown'];
    props: IListingProps;
    setActive: (index: number) => void;
  }>({ onKeyDown: () => undefined, props, setActive });
  const handlers = React.useMemo<IRowHandlers>(
    () => ({
      onFocus: index => latest.current.setActive(index),
      onOpen: entry => latest.current.props.onOpen(entry),
      onKeyDown: (event, index, entry) =>
        latest.current.onKeyDown(event, index, entry),
      actions: () => latest.current.props.actions
    }),
    []
  );

  const columns: [SortKey, string][] = [
    ['name', trans.__('Name')],
    ['size', trans.__('Size')],
    ['modified', trans.__('Modified')]
  ];

  const onKeyDown = (
    event: React.KeyboardEvent,
    index: number,
    entry: ILakeEntry
  ) => {
    // Keys pressed on a row's buttons are theirs.
    if (event.target !== event.currentTarget) {
      return;
    }
    switch (event.key) {
      case 'ArrowDown':
        moveTo(index + 1);
        break;
      case 'ArrowUp':
        moveTo(index - 1);
        break;
      case 'PageDown':
        moveTo(index + ROWS_SHOWN - 1);
        break;
      case 'PageUp':
        moveTo(index - ROWS_SHOWN + 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'Enter':
        if (entry.kind !== 'folder') {
          return;
        }
        props.onOpen(entry);
        break;
      case 'Backspace':
        props.onUp();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  latest.current = { onKeyDown, props, setActive };

  return (
    <div
      role="grid"
      className="jp-DataLake-lakeGrid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      aria-busy={model.isLoading}
    >
      <div role="row" className="jp-DataLake-lakeHeader" aria-rowindex={1}>
        {columns.map(([column, label]) => (
          <SortHeader
            key={column}
            column={column}
            label={label}
            sort={sort}
            onSort={props.onSort}
            trans={trans}
          />
        ))}
        <div role="columnheader" className="jp-DataLake-lakeActionsHeader">
          <span className="jp-DataLake-srOnly">{trans.__('Actions')}</span>
        </div>
      </div>
      <div
        ref={viewport}
        className="jp-DataLake-lakeViewport"
        role="presentation"
        style={{ height }}
        onScroll={event => {
          const node = event.currentTarget;
          setScrollTop(node.scrollTop);
          if (
            node.scrollTop + node.clientHeight >=
            node.scrollHeight - END_ROWS * ROW_HEIGHT
          ) {
            void model.loadMore();
          }
        }}
      >
        <div
          role="rowgroup"
          className="jp-DataLake-lakeRows"
          style={{ height: rows.length * ROW_HEIGHT }}
        >
          {shown.map(i => (
            <LakeRow
              key={rows[i].key}
              entry={rows[i]}
              index={i}
              active={i === current}
              uploader={model.info(rows[i])?.uploader}
              canDelete={model.canDelete(rows[i])}
              trans={trans}
              handlers={handlers}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function SortHeader(props: {
  column: SortKey;
  label: string;
  sort: ISort;
  onSort: (key: SortKey) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { column, label, sort } = props;
  const sorted = sort.key === column;
  const Caret = sort.descending ? caretDownIcon : caretUpIcon;
  return (
    <div
      role="columnheader"
      className={`jp-DataLake-lakeColumn jp-DataLake-lakeColumn-${column}`}
      aria-sort={
        sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'
      }
    >
      <button
        className="jp-DataLake-sortButton"
        data-column={column}
        title={props.trans.__('Sort by %1', label)}
        onClick={() => props.onSort(column)}
      >
        {label}
        {sorted && <Caret.react tag="span" className="jp-DataLake-sortCaret" />}
      </button>
    </div>
  );
}

/** What a row calls back; stable for the grid's life, so that rows can be memoised. */
interface IRowHandlers {
  onFocus: (index: number) => void;
  onOpen: (entry: ILakeEntry) => void;
  onKeyDown: (
    event: React.KeyboardEvent,
    index: number,
    entry: ILakeEntry
  ) => void;
  actions: () => ILakeActions;
}

const LakeRow = React.memo(LakeRowView);

function LakeRowView(props: {
  entry: ILakeEntry;
  index: number;
  active: boolean;
  /** From the object's metadata, once known. */
  uploader: string | null | undefined;
  /** Whether the user may delete it; null while unknown. */
  canDelete: boolean | null;
  trans: TranslationBundle;
  handlers: IRowHandlers;
}): JSX.Element {
  const { entry, index, trans, handlers, uploader } = props;
  const actions = handlers.actions();
  const folder = entry.kind === 'folder';
  const Icon = folder ? folderIcon : fileIcon;
  const size = entry.size === null ? '' : formatBytes(entry.size);
  const date = entry.modified === null ? '' : formatShortDate(entry.modified);
  const time =
    entry.modified === null
      ? undefined
      : new Date(entry.modified * 1000).toLocaleString();
  const { name } = entry;
  const button = (
    className: string,
    icon: LabIcon,
    label: string,
    onClick: () => void
  ) => (
    <IconButton
      className={`jp-DataLake-lakeAction ${className}`}
      icon={icon}
      label={label}
      onClick={onClick}
    />
  );
  return (
    <div
      role="row"
      className="jp-DataLake-lakeRow"
      data-kind={entry.kind}
      data-key={entry.key}
      data-index={index}
      aria-rowindex={index + 2}
      aria-label={
        folder
          ? trans.__('Folder %1', name)
          : trans.__('%1, %2, modified %3', name, size, time ?? '')
      }
      tabIndex={props.active ? 0 : -1}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      onFocus={() => handlers.onFocus(index)}
      onDoubleClick={() => folder && handlers.onOpen(entry)}
      onKeyDown={event => handlers.onKeyDown(event, index, entry)}
    >
      <span
        role="gridcell"
        className="jp-DataLake-lakeName"
        title={
          uploader
            ? `${entry.key}\n${trans.__('Uploaded by %1', uploader)}`
            : entry.key
        }
      >
        <Icon.react tag="span" className="jp-DataLake-entryIcon" />
        <span className="jp-DataLake-lakeNameText">
          <bdi>{name}</bdi>
        </span>
      </span>
      <span role="gridcell" className="jp-DataLake-lakeSize">
        {size}
      </span>
      <span role="gridcell" className="jp-DataLake-lakeModified" title={time}>
        {date}
      </span>
      <span role="gridcell" className="jp-DataLake-lakeActions">
        {button(
          'jp-DataLake-lakeDownloadHome',
          homeIcon,
          trans.__('Download %1 to home', name),
          () => actions.downloadToHome([entry])
        )}
        {!folder && (
          <>
            {button(
              'jp-DataLake-lakeDownloadComputer',
              downloadIcon,
              trans.__('Download %1 to my computer', name),
              () => actions.downloadToComputer(entry)
            )}
            {button(
              'jp-DataLake-lakeCopyUri',
              linkIcon,
              trans.__('Copy s3a:// URI of %1', name),
              () => actions.copyUri(entry)
            )}
            {button(
              'jp-DataLake-lakeCopySnippet',
              pythonIcon,
              trans.__('Copy Python snippet for %1', name),
              () => actions.copySnippet(entry)
            )}
          </>
        )}
        {/* Unknown is not yes: no Delete until the server says so. */}
        {props.canDelete === true &&
          button(
            'jp-DataLake-lakeDelete',
            deleteIcon,
            trans.__('Delete %1', name),
            () => actions.delete([entry])
          )}
      </span>
    </div>
  );
}

function IconButton(props: {
  className: string;
  icon: LabIcon;
  label: string;
  onClick: () => void;
}): JSX.Element {
  return (
    <button
      className={`jp-DataLake-iconButton ${props.className}`}
      aria-label={props.label}
      title={props.label}
      onClick={event => {
        event.stopPropagation();
        props.onClick();
      }}
      // A double-click on a button is two clicks on it, not an open of the row.
      onDoubleClick={event => event.stopPropagation()}
    >
      <props.icon.react tag="span" className="jp-DataLake-entryIcon" />
    </button>
  );
}
