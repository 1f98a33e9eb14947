import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { LakeSearch } from '../../models/search';
import { IDataLake } from '../../tokens';
import { ILakeActions } from '../actions';
import { lakeIcon } from './icon';
import { ConnectionSection } from './ConnectionSection';
import { LakeBrowser } from './LakeBrowser';
import { PreviewModel } from '../../models/preview';
import { PreviewPane } from './PreviewPane';

/**
 * The data lake panel: the connection, and the lake browser below it. One instance lives in
 * the left sidebar; another may open as a main-area tab for a wide view. Both show the same
 * folder (`IDataLake.lake`), and tell the status model whether they are visible, so that its
 * poll stands by while nobody looks.
 */
export class LakePanel extends ReactWidget {
  constructor(options: LakePanel.IOptions) {
    super();
    this._options = options;
    this._trans = options.translator.load('jupyterlab_datalake');
    this._search = new LakeSearch(options.dataLake.api);
    this.id = options.id;
    this.addClass('jp-DataLake-panel');
    this.addClass('jp-DataLake-lakeView');
    if (options.wide) {
      this.addClass('jp-mod-wide');
    }
    this.title.icon = lakeIcon;
    this.title.caption = this._trans.__('Data lake');
    if (options.wide) {
      this.title.label = this._trans.__('Data lake');
      this.title.closable = true;
    }
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', this._trans.__('Data lake'));
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._setVisible(true);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._setVisible(false);
  }

  protected onBeforeDetach(msg: Message): void {
    this._setVisible(false);
    super.onBeforeDetach(msg);
  }

  render(): JSX.Element {
    const { status, lake } = this._options.dataLake;
    return (
      <div className="jp-DataLake-panelContent">
        <h2 className="jp-DataLake-title">{this._trans.__('Data lake')}</h2>
        <UseSignal signal={status.changed}>
          {() => (
            <ConnectionSection model={status} trans={this._trans}>
              <div className="jp-DataLake-lakeAndPreview">
                <LakeBrowser
                  model={lake}
                  trans={this._trans}
                  actions={this._options.actions}
                  search={this._search}
                />
                <PreviewPane
                  model={this._options.preview}
                  trans={this._trans}
                />
              </div>
            </ConnectionSection>
          )}
        </UseSignal>
      </div>
    );
  }

  private _setVisible(visible: boolean): void {
    const { status, lake } = this._options.dataLake;
    status.setVisible(this, visible);
    // The lake is shared: others may have added or deleted objects while the panel was hidden.
    if (visible && lake.hasLoaded && !lake.isLoading) {
      void lake.refresh();
    }
  }

  private _options: LakePanel.IOptions;
  private _trans: TranslationBundle;
  private _search: LakeSearch;
}

export namespace LakePanel {
  export interface IOptions {
    /** The widget's id: the sidebar panel's or the tab's. */
    id: string;
    dataLake: IDataLake;
    translator: ITranslator;
    actions: ILakeActions;
    /** The preview of the object selected, shared by the sidebar panel and the tab. */
    preview: PreviewModel;
    /** The main-area tab: closable, labelled, with room for wide columns. */
    wide?: boolean;
  }
}
