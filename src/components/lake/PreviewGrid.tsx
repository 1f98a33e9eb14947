import { DSVModel } from '@jupyterlab/csvviewer';
import {
  BasicKeyHandler,
  BasicMouseHandler,
  BasicSelectionModel,
  DataGrid,
  TextRenderer
} from '@lumino/datagrid';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { IPreviewTable } from '../../api/types';
import { tableAsDSV } from '../../logic/preview';

/** A CSS variable of the theme, read where the grid is drawn (a canvas knows no CSS). */
function themed(node: HTMLElement, name: string, fallback: string): string {
  return getComputedStyle(node).getPropertyValue(name).trim() || fallback;
}

/** The grid's colours from JupyterLab's theme, as its CSV viewer takes them. */
function gridStyle(node: HTMLElement): DataGrid.Style {
  return {
    ...DataGrid.defaultStyle,
    voidColor: themed(node, '--jp-layout-color0', 'white'),
    backgroundColor: themed(node, '--jp-layout-color0', 'white'),
    headerBackgroundColor: themed(node, '--jp-layout-color2', '#eee'),
    gridLineColor: themed(node, '--jp-border-color3', 'rgba(20, 20, 20, 0.15)'),
    headerGridLineColor: themed(
      node,
      '--jp-border-color2',
      'rgba(20, 20, 20, 0.25)'
    ),
    selectionFillColor: themed(
      node,
      '--jp-brand-color2',
      'rgba(49, 119, 180, 0.2)'
    )
  };
}

/**
 * The rows of a table in JupyterLab's own grid: the DSV model its CSV viewer parses files
 * with, drawn by a Lumino DataGrid, so that a preview reads like the file opened. A Lumino
 * widget lives inside React cleanly enough: it is attached to a node React owns and never
 * touches (Widget.attach), told of that node's resizes (a DataGrid lays itself out on resize
 * messages only), and disposed with its model when the table changes or the pane goes.
 */
export function PreviewGrid(props: {
  table: IPreviewTable;
  label: string;
}): JSX.Element {
  const { table, label } = props;
  const host = React.useRef<HTMLDivElement>(null);
  // A layout effect: its cleanup runs while the host is still in the document, where Lumino
  // can detach the grid (it refuses to detach a widget whose node is no longer connected).
  React.useLayoutEffect(() => {
    const node = host.current;
    if (!node) {
      return;
    }
    const model = new DSVModel({
      data: tableAsDSV(table),
      delimiter: ',',
      header: true
    });
    const grid = new DataGrid({
      style: gridStyle(node),
      defaultSizes: {
        rowHeight: 24,
        columnWidth: 144,
        rowHeaderWidth: 48,
        columnHeaderHeight: 28
      }
    });
    grid.addClass('jp-DataLake-previewDataGrid');
    grid.headerVisibility = 'all';
    grid.dataModel = model;
    grid.keyHandler = new BasicKeyHandler();
    grid.mouseHandler = new BasicMouseHandler();
    grid.selectionModel = new BasicSelectionModel({ dataModel: model });
    const text = new TextRenderer({
      textColor: themed(node, '--jp-ui-font-color1', 'black'),
      font: `12px ${themed(node, '--jp-ui-font-family', 'sans-serif')}`
    });
    grid.cellRenderers.update({
      body: text,
      'column-header': text,
      'row-header': text
    });
    Widget.attach(grid, node);
    const observer = new ResizeObserver(() =>
      MessageLoop.sendMessage(grid, Widget.ResizeMessage.UnknownSize)
    );
    observer.observe(node);
    return () => {
      observer.disconnect();
      grid.dispose();
      model.dispose();
    };
  }, [table]);
  return (
    <div
      ref={host}
      className="jp-DataLake-previewGrid"
      role="img"
      aria-label={label}
    />
  );
}
