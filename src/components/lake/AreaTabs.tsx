import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Area } from '../../api/types';

/** The tab panel the area tabs control. */
export const PANEL_ID = 'jp-DataLake-lakePanel';

export function areaName(area: Area, trans: TranslationBundle): string {
  return area === 'mine' ? trans.__('My area') : trans.__('shared');
}

export function tabId(area: Area): string {
  return `jp-DataLake-areaTab-${area}`;
}

export function AreaTabs(props: {
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
