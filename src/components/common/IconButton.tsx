import { LabIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

/**
 * A button that shows only an icon; its label is its accessible name and tooltip. A button
 * `refused` is disabled, and its tooltip says why instead.
 */
export function IconButton(props: {
  className: string;
  icon: LabIcon;
  label: string;
  onClick: () => void;
  /** Why the action cannot be done here; the button is then disabled. */
  refused?: string | null;
}): JSX.Element {
  const refused = props.refused ?? null;
  return (
    <button
      className={`jp-DataLake-iconButton ${props.className}`}
      aria-label={props.label}
      title={refused ?? props.label}
      aria-description={refused ?? undefined}
      disabled={refused !== null}
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
