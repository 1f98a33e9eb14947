import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Area, IArea } from '../../api/types';
import { readRefusal } from '../../logic/areas';

/** The tab panel the area tabs control. */
export const PANEL_ID = 'jp-DataLake-lakePanel';

export function tabId(area: Area): string {
  return `jp-DataLake-areaTab-${area}`;
}

/**
 * The configured areas as tabs, in the server's order, each titled as configured. An area the
 * user may not read stays a tab, marked and with its reason as tooltip: opening it shows the
 * reason in place of the listing, which a disabled tab could not tell a keyboard user.
 */
export function AreaTabs(props: {
  areas: readonly IArea[];
  area: Area;
  trans: TranslationBundle;
  onOpen: (area: Area) => void;
}): JSX.Element {
  const { areas, area, trans, onOpen } = props;
  return (
    <div
      role="tablist"
      className="jp-DataLake-areaTabs"
      aria-label={trans.__('Data lake areas')}
    >
      {areas.map((tab, i) => {
        const refused = readRefusal(tab, trans);
        const current = tab.id === area;
        return (
          <button
            key={tab.id}
            role="tab"
            id={tabId(tab.id)}
            className={
              'jp-DataLake-areaTab' +
              (current ? ' jp-mod-current' : '') +
              (refused ? ' jp-mod-refused' : '')
            }
            data-area={tab.id}
            data-access={refused ? 'refused' : 'ok'}
            title={refused ?? tab.uri}
            aria-selected={current}
            aria-controls={PANEL_ID}
            tabIndex={current ? 0 : -1}
            onClick={() => onOpen(tab.id)}
            onKeyDown={event => {
              // Arrows move between tabs, as the tabs pattern has it.
              const step =
                event.key === 'ArrowRight'
                  ? 1
                  : event.key === 'ArrowLeft'
                    ? -1
                    : 0;
              if (step !== 0 && areas.length > 0) {
                const next = areas[(i + step + areas.length) % areas.length].id;
                onOpen(next);
                const tablist = event.currentTarget.parentElement;
                tablist?.querySelector<HTMLElement>(`#${tabId(next)}`)?.focus();
              }
            }}
          >
            {tab.title}
          </button>
        );
      })}
    </div>
  );
}
