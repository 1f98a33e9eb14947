import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  formatBytes,
  formatPercent,
  formatUsedOfCapacity
} from '../../logic/format';
import { UsageModel } from '../../models/usage';

/**
 * The status bar item: "Home 303 MiB / 5.0 GiB", space on disk as the panel writes it, coloured
 * by state; a click opens the panel.
 */
export class UsageStatus extends ReactWidget {
  constructor(
    private readonly _model: UsageModel,
    private readonly _trans: TranslationBundle,
    private readonly _onClick: () => void
  ) {
    super();
    this.addClass('jp-DataLake-statusItem');
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => {
          const usage = this._model.usage;
          const level = this._model.level ?? 'normal';
          const text = usage
            ? this._trans.__(
                'Home %1',
                formatUsedOfCapacity(usage.used, usage.capacity)
              )
            : this._trans.__('Home …');
          const title = usage
            ? this._trans.__(
                'Home: %1 of %2 used on disk (%3). Click to open the Storage panel.',
                formatBytes(usage.used),
                formatBytes(usage.capacity),
                formatPercent(usage.percent ?? 0)
              )
            : this._trans.__('Home usage. Click to open the Storage panel.');
          return (
            <button
              className={`jp-DataLake-statusButton jp-DataLake-level-${level}`}
              data-level={level}
              title={title}
              onClick={this._onClick}
            >
              {text}
            </button>
          );
        }}
      </UseSignal>
    );
  }
}
