import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { storageIcon } from '../icons';
import { StatusModel } from '../model';
import { PANEL_ID } from '../tokens';
import { ConnectionSection } from './ConnectionSection';

/**
 * The Storage panel in the left sidebar. It renders the models it is given and tells them
 * whether it is visible, so that their polls stand by while nobody looks.
 */
export class StoragePanel extends ReactWidget {
  constructor(options: StoragePanel.IOptions) {
    super();
    this._status = options.status;
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
    this._status.visible = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._status.visible = false;
  }

  render(): JSX.Element {
    return (
      <div className="jp-DataLake-panelContent">
        <h2 className="jp-DataLake-title">{this._trans.__('Storage')}</h2>
        <UseSignal signal={this._status.changed}>
          {() => <ConnectionSection model={this._status} trans={this._trans} />}
        </UseSignal>
      </div>
    );
  }

  private _status: StatusModel;
  private _trans: TranslationBundle;
}

export namespace StoragePanel {
  export interface IOptions {
    status: StatusModel;
    translator: ITranslator;
  }
}
