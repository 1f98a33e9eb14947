import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  deleteIcon,
  downloadIcon,
  fileIcon,
  folderIcon,
  homeIcon,
  LabIcon,
  linkIcon,
  pythonIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { ILakeEntry } from '../../logic/entries';
import { formatBytes, formatModified } from '../../logic/format';
import { ILakeActions } from '../actions';
import { IconButton } from '../common/IconButton';
import { MiddleName } from './MiddleName';

/** Every row is this tall, so that the rows in view follow from the scroll position alone. */
export const ROW_HEIGHT = 26;

/** What a row calls back; stable for the grid's life, so that rows can be memoised. */
export interface IRowHandlers {
  onFocus: (index: number) => void;
  /** A click, with its modifier keys: select the row, add it, or extend to it. */
  onClick: (event: React.MouseEvent, index: number) => void;
  /** A right-click selects the row unless it is selected already, as file managers do. */
  onContextMenu: (index: number) => void;
  /** The row, or the selection it is part of, is dragged out (onto the file browser). */
  onDragStart: (event: React.DragEvent, index: number) => void;
  onOpen: (entry: ILakeEntry) => void;
  onKeyDown: (
    event: React.KeyboardEvent,
    index: number,
    entry: ILakeEntry
  ) => void;
  actions: () => ILakeActions;
}

/** A row, rendered again only when what it shows changes. */
export const LakeRow = React.memo(LakeRowView);

function LakeRowView(props: {
  entry: ILakeEntry;
  index: number;
  active: boolean;
  selected: boolean;
  /** From the object's metadata, once known. */
  uploader: string | null | undefined;
  /** Whether the user may delete it; null while unknown. */
  canDelete: boolean | null;
  /** Why nothing in the area can be deleted from here, if so: Delete is shown disabled. */
  deleteRefused: string | null;
  /**
   * Whose the entry is and why the user may not delete it, where they delete only their own
   * uploads: Delete is shown disabled, and the name's tooltip says it too.
   */
  notYours: string | null;
  /** Changes every few seconds, so that "2 minutes ago" keeps up with the clock. */
  clock: number;
  /** How long the relative date may be: the Modified column's room for it. */
  dateStyle: Time.HumanStyle;
  trans: TranslationBundle;
  handlers: IRowHandlers;
}): JSX.Element {
  const { entry, index, trans, handlers, uploader } = props;
  const actions = handlers.actions();
  const folder = entry.kind === 'folder';
  const Icon = folder ? folderIcon : fileIcon;
  const size = entry.size === null ? '' : formatBytes(entry.size);
  const modified =
    entry.modified === null
      ? null
      : formatModified(entry.modified, props.dateStyle);
  const time = modified?.exact;
  const { name } = entry;
  const button = (
    className: string,
    icon: LabIcon,
    label: string,
    onClick: () => void,
    refused: string | null = null
  ) => (
    <IconButton
      className={`jp-DataLake-lakeAction ${className}`}
      icon={icon}
      label={label}
      onClick={onClick}
      refused={refused}
    />
  );
  return (
    <div
      role="row"
      className={
        'jp-DataLake-lakeRow' + (props.selected ? ' jp-mod-selected' : '')
      }
      aria-selected={props.selected}
      draggable={true}
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
      onClick={event => handlers.onClick(event, index)}
      onContextMenu={() => handlers.onContextMenu(index)}
      onDragStart={event => handlers.onDragStart(event, index)}
      onDoubleClick={() =>
        folder ? handlers.onOpen(entry) : actions.open(entry)
      }
      onKeyDown={event => handlers.onKeyDown(event, index, entry)}
    >
      <span
        role="gridcell"
        className="jp-DataLake-lakeName"
        title={
          props.notYours
            ? `${entry.key}\n${props.notYours}`
            : uploader
              ? `${entry.key}\n${trans.__('Uploaded by %1', uploader)}`
              : entry.key
        }
      >
        <Icon.react tag="span" className="jp-DataLake-entryIcon" />
        <MiddleName text={name} className="jp-DataLake-lakeNameText" />
      </span>
      <span role="gridcell" className="jp-DataLake-lakeSize">
        {size}
      </span>
      <span role="gridcell" className="jp-DataLake-lakeModified" title={time}>
        {modified?.relative}
      </span>
      <span role="gridcell" className="jp-DataLake-lakeActions">
        {button(
          'jp-DataLake-lakeDownloadHome',
          homeIcon,
          trans.__('Download %1 to home', name),
          () => actions.downloadToHome([entry])
        )}
        {!folder &&
          button(
            'jp-DataLake-lakeDownloadComputer',
            downloadIcon,
            trans.__('Download %1 to my computer', name),
            () => actions.downloadToComputer(entry)
          )}
        {/* A folder's URI and snippet serve Spark and pandas as well as an object's. */}
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
        {/* Unknown is not yes: no Delete until the server says so. */}
        {(props.canDelete === true ||
          props.deleteRefused !== null ||
          props.notYours !== null) &&
          button(
            'jp-DataLake-lakeDelete',
            deleteIcon,
            trans.__('Delete %1', name),
            () => actions.delete([entry]),
            props.deleteRefused ?? props.notYours
          )}
      </span>
    </div>
  );
}
