import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { storageIcon } from '../icons';
import { ILakeActions, LakeBrowserModel } from '../lake';
import { AtRiskModel, StatusModel, UsageModel } from '../model';
import { IClassification, IPackage, PANEL_ID } from '../tokens';
import { ITransferActions, TransfersModel } from '../transfers';
import { AtRiskSection } from './AtRiskSection';
import { ConnectionSection } from './ConnectionSection';
import { LakeBrowser } from './LakeBrowser';
import { TransfersSection } from './TransfersSection';
import { UsageSection } from './UsageSection';

/** How often "updated N s ago" is re-rendered while the panel is visible. */
const CLOCK_MS = 5000;

/**
 * The Storage panel in the left sidebar. It renders the models it is given and tells them
 * whether it is visible, so that their polls stand by while nobody looks.
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
    const {
      status,
      usage,
      atRisk,
      transfers,
      onShow,
      onEmptyTrash,
      onRescue,
      onCopyPipCommand
    } = this._options;
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
              onShow={onShow}
              onEmptyTrash={onEmptyTrash}
              onSendToLake={this._options.onSendFromHome}
              now={Date.now() / 1000}
            />
          )}
        </UseSignal>
        <UseSignal signal={transfers.changed}>
          {() => (
            <TransfersSection
              model={transfers}
              trans={this._trans}
              actions={this._options.transferActions}
            />
          )}
        </UseSignal>
        <UseSignal signal={atRisk.changed}>
          {() => (
            <AtRiskSection
              model={atRisk}
              trans={this._trans}
              onRescue={onRescue}
              onCopyPipCommand={onCopyPipCommand}
              onSendToLake={this._options.onSendToLake}
            />
          )}
        </UseSignal>
        <UseSignal signal={status.changed}>
          {() => (
            <ConnectionSection model={status} trans={this._trans}>
              <LakeBrowser
                model={this._options.lake}
                trans={this._trans}
                actions={this._options.lakeActions}
              />
            </ConnectionSection>
          )}
        </UseSignal>
      </div>
    );
  }

  private _setVisible(visible: boolean): void {
    this._options.status.setVisible(this, visible);
    this._options.usage.setVisible(this, visible);
    this._options.atRisk.setVisible(this, visible);
    this._options.transfers.setVisible(this, visible);
    const lake = this._options.lake;
    // The lake is shared: others may have added or deleted objects while the panel was hidden.
    if (visible && lake.hasLoaded && !lake.isLoading) {
      void lake.refresh();
    }
  }

  private _options: StoragePanel.IOptions;
  private _trans: TranslationBundle;
  private _clock = 0;
}

export namespace StoragePanel {
  export interface IOptions {
    status: StatusModel;
    usage: UsageModel;
    atRisk: AtRiskModel;
    transfers: TransfersModel;
    translator: ITranslator;
    onShow: (path: string) => void;
    onEmptyTrash: () => void;
    onRescue: (path: string) => void;
    onCopyPipCommand: (packages: IPackage[]) => void;
    transferActions: ITransferActions;
    /** The data lake browser's folder, shown while the lake can be used. */
    lake: LakeBrowserModel;
    lakeActions: ILakeActions;
    /** Send a file or folder to the data lake: a path relative to home. */
    onSendFromHome?: (path: string) => void;
    /** Send a file or folder to the data lake: a file browser path, or an absolute one. */
    onSendToLake?: (path: string) => void;
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
