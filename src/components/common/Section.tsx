import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import * as React from 'react';

export interface ISectionProps {
  /** Unique within the panel: names the heading for screen readers. */
  id: string;
  title: string;
  /** Tooltip of the refresh button, which is shown when `onRefresh` is given. */
  refreshTooltip?: string;
  onRefresh?: () => void;
  refreshEnabled?: boolean;
  /** More buttons for the heading, before the refresh button. */
  actions?: React.ReactNode;
  children?: React.ReactNode;
}

/** One section of the Storage panel: a heading with a refresh button, then its content. */
export function Section(props: ISectionProps): JSX.Element {
  const headingId = `jp-DataLake-${props.id}-heading`;
  return (
    <section
      className={`jp-DataLake-section jp-DataLake-${props.id}`}
      aria-labelledby={headingId}
    >
      <header className="jp-DataLake-sectionHeader">
        <h3 id={headingId}>{props.title}</h3>
        {props.actions}
        {props.onRefresh && (
          <ToolbarButtonComponent
            icon={refreshIcon}
            tooltip={props.refreshTooltip}
            onClick={props.onRefresh}
            enabled={props.refreshEnabled ?? true}
          />
        )}
      </header>
      {props.children}
    </section>
  );
}
