import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { deleteRefusal } from '../../logic/areas';
import { notYoursReason } from '../../logic/deletes';
import { ILakeEntry, ISort, SortKey } from '../../logic/entries';
import { LakeBrowserModel } from '../../models/lake';
import { ILakeActions } from '../actions';
import {
  SortHeader,
  useClock,
  useDateStyle,
  useRowsThatFit
} from './gridParts';
import { IRowHandlers, LakeRow, ROW_HEIGHT } from './LakeRow';

/** Rows rendered beyond each edge of the view, so that fast scrolling shows no gap. */
const OVERSCAN = 8;

/** How close to the end, in rows, scrolling loads the next page. */
const END_ROWS = 10;

/** How often the rows in view render their relative dates ("2 minutes ago") again. */
const CLOCK_MS = 10000;

export interface IListingProps {
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
  /**
   * Set when the user navigated from inside the listing, so that the keyboard stays there:
   * the grid takes the focus once its rows are in, on the row of `key` if shown (the folder
   * just left), else the first; and clears the request, which is for one folder only.
   */
  focusRequest?: React.MutableRefObject<{ key: string | null } | null>;
}

/** The mime type of lake rows dragged out: `{ area, keys }` as JSON. */
export const LAKE_KEYS_MIME = 'application/x-datalake-keys';

/**
 * The rows as a grid that renders only what is in view: a folder of tens of thousands of
 * objects scrolls as lightly as one of ten. One row at a time takes the Tab key (a roving
 * tabindex); arrows move between rows.
 */
export function LakeGrid(props: IListingProps): JSX.Element {
  const { model, rows, sort, trans } = props;
  const area = model.current;
  const deleteRefused = area ? deleteRefusal(area, trans) : null;
  const viewport = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const request = props.focusRequest;
  const [active, setActive] = React.useState(() =>
    Math.max(
      0,
      rows.findIndex(row => row.key === request?.current?.key)
    )
  );
  const focusActive = React.useRef(Boolean(request?.current));
  React.useEffect(() => {
    if (request) {
      request.current = null;
    }
  }, [request]);
  // Where a shift-click or shift-arrow extends the selection from.
  const anchor = React.useRef(0);
  const clock = useClock(CLOCK_MS);
  const grid = React.useRef<HTMLDivElement>(null);
  const style = useDateStyle(grid);
  const fit = useRowsThatFit(viewport);

  const height = Math.min(rows.length, fit) * ROW_HEIGHT;
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

  const selectRange = (from: number, to: number) => {
    const [lo, hi] = from < to ? [from, to] : [to, from];
    model.select(rows.slice(lo, hi + 1).map(row => row.key));
  };

  const moveTo = (index: number, extend = false) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    if (extend) {
      selectRange(anchor.current, i);
    } else {
      anchor.current = i;
      model.select([rows[i].key]);
    }
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
    onClick: IRowHandlers['onClick'];
    onContextMenu: IRowHandlers['onContextMenu'];
    onDragStart: IRowHandlers['onDragStart'];
    props: IListingProps;
    setActive: (index: number) => void;
  }>({
    onKeyDown: () => undefined,
    onClick: () => undefined,
    onContextMenu: () => undefined,
    onDragStart: () => undefined,
    props,
    setActive
  });
  const handlers = React.useMemo<IRowHandlers>(
    () => ({
      onFocus: index => latest.current.setActive(index),
      onClick: (event, index) => latest.current.onClick(event, index),
      onContextMenu: index => latest.current.onContextMenu(index),
      onDragStart: (event, index) => latest.current.onDragStart(event, index),
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
    const { actions } = props;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(index + 1, event.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(index - 1, event.shiftKey);
        break;
      case 'PageDown':
        moveTo(index + fit - 1);
        break;
      case 'PageUp':
        moveTo(index - fit + 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'Enter':
        if (entry.kind === 'folder') {
          props.onOpen(entry);
        } else {
          actions.open(entry);
        }
        break;
      case 'Backspace':
        props.onUp();
        break;
      case 'Delete':
        actions.delete(targetOf(index));
        break;
      case 'F2':
        actions.rename(entry);
        break;
      case 'a':
        if (!(event.ctrlKey || event.metaKey)) {
          return;
        }
        model.select(rows.map(row => row.key));
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  /** The rows an action on row `index` is about: the selection, if it holds the row. */
  const targetOf = (index: number): ILakeEntry[] => {
    const entry = rows[index];
    return model.selection.has(entry.key)
      ? rows.filter(row => model.selection.has(row.key))
      : [entry];
  };

  const onClick = (event: React.MouseEvent, index: number) => {
    if (isButton(event.target)) {
      return;
    }
    const key = rows[index].key;
    if (event.shiftKey) {
      selectRange(anchor.current, index);
    } else if (event.ctrlKey || event.metaKey) {
      const next = new Set(model.selection);
      if (!next.delete(key)) {
        next.add(key);
      }
      anchor.current = index;
      model.select(next);
    } else {
      anchor.current = index;
      model.select([key]);
    }
  };

  const onContextMenu = (index: number) => {
    if (!model.selection.has(rows[index].key)) {
      anchor.current = index;
      model.select([rows[index].key]);
    }
  };

  const onDragStart = (event: React.DragEvent, index: number) => {
    const keys = targetOf(index).map(row => row.key);
    event.dataTransfer.setData(
      LAKE_KEYS_MIME,
      JSON.stringify({ area: model.area, keys })
    );
    event.dataTransfer.effectAllowed = 'copy';
  };

  latest.current = {
    onKeyDown,
    onClick,
    onContextMenu,
    onDragStart,
    props,
    setActive
  };

  return (
    <div
      ref={grid}
      role="grid"
      aria-multiselectable={true}
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
          {shown.map(i => {
            const entry = rows[i];
            const uploader = model.info(entry)?.uploader;
            const canDelete = model.canDelete(entry);
            return (
              <LakeRow
                key={entry.key}
                entry={entry}
                index={i}
                active={i === current}
                selected={model.selection.has(entry.key)}
                uploader={uploader}
                canDelete={canDelete}
                deleteRefused={deleteRefused}
                notYours={
                  area?.delete === 'own' && canDelete === false
                    ? notYoursReason(area, entry, uploader, trans)
                    : null
                }
                clock={clock}
                dateStyle={style}
                trans={trans}
                handlers={handlers}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function isButton(target: EventTarget): boolean {
  return target instanceof Element && target.closest('button') !== null;
}
