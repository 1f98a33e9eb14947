import { TranslationBundle } from '@jupyterlab/translation';
import { fileIcon, folderIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { formatBytes } from '../../logic/format';
import { sendToLakeIcon } from './icons';

export interface IEntryRowProps {
  /** The full path, shown as a tooltip. */
  path: string;
  /** What the row shows; the full path when not given. */
  label?: string;
  bytes: number;
  /** What the size is (space on disk, say), as its tooltip. */
  sizeTitle?: string;
  isFolder: boolean;
  /** The row's one action: its button text, its accessible name and what it does. */
  action: {
    text: string;
    title: string;
    ariaLabel: string;
    onClick: () => void;
  };
  /** When given, an icon button after the action sends the entry's `path` to the data lake. */
  sendToLake?: {
    trans: TranslationBundle;
    onSend: (path: string) => void;
  };
}

/** A file or folder with its size and one action, as the panel's lists show them. */
export function EntryRow(props: IEntryRowProps): JSX.Element {
  const Icon = props.isFolder ? folderIcon : fileIcon;
  const { action, sendToLake } = props;
  return (
    <li className="jp-DataLake-entry" title={props.path}>
      <Icon.react tag="span" className="jp-DataLake-entryIcon" />
      <span className="jp-DataLake-entryPath">
        {/* The container is right-to-left so that long paths lose their start, not their
            name; bdi keeps the path itself left-to-right. */}
        <bdi>{props.label ?? props.path}</bdi>
      </span>
      <span className="jp-DataLake-entrySize" title={props.sizeTitle}>
        {formatBytes(props.bytes)}
      </span>
      <button
        className="jp-DataLake-linkButton"
        onClick={action.onClick}
        aria-label={action.ariaLabel}
        title={action.title}
      >
        {action.text}
      </button>
      {sendToLake && (
        // An icon: the panel is narrow, and the row's words are its path.
        <button
          className="jp-DataLake-linkButton jp-DataLake-sendToLake"
          onClick={() => sendToLake.onSend(props.path)}
          aria-label={sendToLake.trans.__(
            'Send %1 to the data lake',
            props.path
          )}
          title={sendToLake.trans.__('Send to data lake')}
        >
          <sendToLakeIcon.react tag="span" className="jp-DataLake-entryIcon" />
        </button>
      )}
    </li>
  );
}
