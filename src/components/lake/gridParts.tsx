/**
 * The lake grid's parts that stand on their own: its sort headers, and the hooks that size it
 * to its panel and keep its relative dates current and fitted to their column.
 */
import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { caretDownIcon, caretUpIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ISort, SortKey } from '../../logic/entries';
import { dateStyle } from '../../logic/format';
import { ROW_HEIGHT } from './LakeRow';

/**
 * The list grows with its rows up to as many as fit in its panel below it (at least this
 * many), then scrolls: in a panel of its own, the lake's rows fill the sidebar's height.
 */
const ROWS_SHOWN = 15;

/** Room kept below the rows, in pixels, for the line that says what more there is. */
const BELOW_ROWS = 36;

/**
 * How many rows fit between the top of the viewport and the bottom of the panel that holds
 * it (its nearest scrolling ancestor), as the panel is resized; never fewer than ROWS_SHOWN.
 */
export function useRowsThatFit(viewport: React.RefObject<HTMLElement>): number {
  const [fit, setFit] = React.useState(ROWS_SHOWN);
  React.useEffect(() => {
    const node = viewport.current;
    const panel = node?.closest('.jp-DataLake-panel');
    if (!node || !panel || typeof ResizeObserver === 'undefined') {
      return;
    }
    const measure = () => {
      const room =
        panel.getBoundingClientRect().bottom -
        node.getBoundingClientRect().top -
        panel.scrollTop -
        BELOW_ROWS;
      setFit(Math.max(ROWS_SHOWN, Math.floor(room / ROW_HEIGHT)));
    };
    const observer = new ResizeObserver(measure);
    // The panel resized, or what stands above the rows in it grew or shrank.
    observer.observe(panel);
    if (panel.firstElementChild) {
      observer.observe(panel.firstElementChild);
    }
    return () => observer.disconnect();
  }, [viewport]);
  return fit;
}

/** A count that goes up every `ms` while the view is mounted: a reason to render again. */
export function useClock(ms: number): number {
  const [clock, setClock] = React.useState(0);
  React.useEffect(() => {
    const timer = window.setInterval(() => setClock(tick => tick + 1), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return clock;
}

/**
 * The style of relative dates the Modified column has room for, as its width changes (the
 * sidebar resized, the browser in a wide tab). "narrow" until measured: the sidebar's width.
 */
export function useDateStyle(
  grid: React.RefObject<HTMLElement>
): Time.HumanStyle {
  const [style, setStyle] = React.useState<Time.HumanStyle>('narrow');
  React.useEffect(() => {
    const column = grid.current?.querySelector(
      '.jp-DataLake-lakeColumn-modified'
    );
    if (!column || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() =>
      setStyle(dateStyle(column.getBoundingClientRect().width))
    );
    observer.observe(column);
    return () => observer.disconnect();
  }, [grid]);
  return style;
}

export function SortHeader(props: {
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
