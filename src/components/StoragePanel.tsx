import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { IClassification } from '../api/types';
import { IDataLake, PANEL_ID } from '../tokens';
import { IHomeActions, ITransferActions } from './actions';
import { AtRiskSection } from './atrisk/AtRiskSection';
import { storageIcon } from './common/icons';
import { TransfersSection } from './transfers/TransfersSection';
import { UsageSection } from './usage/UsageSection';

/** How often "updated N s ago" is re-rendered while the panel is visible. */
const CLOCK_MS = 5000;

/**
 * The Storage panel in the left sidebar: home usage, transfers and what is lost at restart.
 * The data lake has a panel of its own (lake/LakePanel.tsx), where its rows have room. It
 * renders the models it is given and tells them whether it is visible, so that their polls
 * stand by while nobody looks.
 */
export class StoragePanel extends ReactWidget {
  constructor(options: StoragePanel.IOptions) {
    super();
    this._options = options;
    this._trans = options.translator.load('jupyterlab_datalake');
    this.id = PANEL_ID;
    this.addClass('jp-DataLake-panel');
    this.title.icon = storageIcon;
    this.title.caption = this._trans.__('Storage');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', this._trans.__('Storage'));
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._setVisible(true);
    this._clock = window.setInterval(() => this.update(), CLOCK_MS);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._setVisible(false);
    window.clearInterval(this._clock);
  }

  dispose(): void {
    window.clearInterval(this._clock);
    super.dispose();
  }

  render(): JSX.Element {
    const { status, usage, atRisk, transfers } = this._options.dataLake;
    const { home, transfers: transferActions } = this._options.actions;
    return (
      <div className="jp-DataLake-panelContent">
        <h2 className="jp-DataLake-title">{this._trans.__('Storage')}</h2>
        <UseSignal signal={status.changed}>
          {() => (
            <RootBanner
              root={status.status?.root ?? null}
              trans={this._trans}
            />
          )}
        </UseSignal>
        <UseSignal signal={usage.changed}>
          {() => (
            <UsageSection
              model={usage}
              trans={this._trans}
              actions={home}
              now={Date.now() / 1000}
            />
          )}
        </UseSignal>
        <UseSignal signal={transfers.changed}>
          {() => (
            <TransfersSection
              model={transfers}
              trans={this._trans}
              actions={transferActions}
            />
          )}
        </UseSignal>
        <UseSignal signal={atRisk.changed}>
          {() => (
            <AtRiskSection model={atRisk} trans={this._trans} actions={home} />
          )}
        </UseSignal>
      </div>
    );
  }

  private _setVisible(visible: boolean): void {
    const { status, usage, atRisk, transfers } = this._options.dataLake;
    // The status tells the banner whether home's root is lost at restart.
    status.setVisible(this, visible);
    usage.setVisible(this, visible);
    atRisk.setVisible(this, visible);
    transfers.setVisible(this, visible);
  }

  private _options: StoragePanel.IOptions;
  private _trans: TranslationBundle;
  private _clock = 0;
}

export namespace StoragePanel {
  export interface IOptions {
    /** The models the panel renders, and tells when it is visible. */
    dataLake: IDataLake;
    translator: ITranslator;
    /** What the sections' buttons run. */
    actions: IActions;
  }

  export interface IActions {
    home: IHomeActions;
    transfers: ITransferActions;
  }
}

/** A warning at the top of the panel when the file browser's root is lost at restart. */
function RootBanner(props: {
  root: IClassification | null;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { root, trans } = props;
  if (!root || root.persistent) {
    return null;
  }
  return (
    <div className="jp-DataLake-banner" role="alert">
      {trans.__(
        'JupyterLab is showing %1, which is %2. Everything saved here is lost when your server restarts.',
        root.path,
        root.reason
      )}
    </div>
  );
}
