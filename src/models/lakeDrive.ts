/**
 * The `datalake:` drive of JupyterLab's contents service: lake objects open in JupyterLab's own
 * viewers and editors (`datalake:shared/reference/countries.csv`), and save back where the
 * area lets the user write. The server gives Jupyter contents models (`GET /datalake/contents`)
 * whose `hash` is the object's ETag, and saves only over the version a save names.
 *
 * How a changed object is caught: before saving, JupyterLab's document context asks for the
 * model without content and compares its `hash` with the one the document was read with; if
 * they differ it shows its own "File Changed" dialog (Overwrite, Revert, Cancel). The save
 * itself is then conditional on the ETag of that last look, so a write that lands in between
 * fails with a 412 that the context reports as a save error, and "Overwrite" overwrites the
 * version the user was just told about, nothing newer.
 *
 * The drive does not create, rename, copy or delete: those are the lake panel's operations.
 */
import { Contents, ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import { DataLakeAPIError } from '../api/request';
import { ILakeContentsModel } from '../api/types';
import { DRIVE_NAME, splitDrivePath } from '../logic/drivePaths';

/**
 * A failure as JupyterLab's document context reads one: it looks at `response.status` (404:
 * the file is gone, so save it anew; 403: no checkpoint where the folder is read-only).
 */
export class LakeDriveError extends Error {
  constructor(
    message: string,
    readonly response: { status: number }
  ) {
    super(message);
    this.name = 'LakeDriveError';
  }
}

/** JupyterLab's type of a model, which has no nulls where Jupyter servers send them. */
function contentsModel(model: ILakeContentsModel): Contents.IModel {
  return {
    ...model,
    mimetype: model.mimetype ?? '',
    size: model.size ?? undefined,
    hash: model.hash ?? undefined,
    hash_algorithm: model.hash_algorithm ?? undefined
  };
}

function driveError(error: unknown): Error {
  if (error instanceof DataLakeAPIError) {
    return new LakeDriveError(error.message, { status: error.status });
  }
  return error as Error;
}

export class LakeDrive implements Contents.IDrive {
  constructor(options: LakeDrive.IOptions) {
    this._api = options.api;
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
  }

  readonly name = DRIVE_NAME;
  readonly serverSettings: ServerConnection.ISettings;

  get fileChanged(): ISignal<this, Contents.IChangedArgs> {
    return this._fileChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (!this._isDisposed) {
      this._isDisposed = true;
      Signal.clearData(this);
    }
  }

  async get(
    localPath: string,
    options?: Contents.IFetchOptions
  ): Promise<Contents.IModel> {
    let model: ILakeContentsModel;
    try {
      model = await this._api.getContents(localPath, {
        content: options?.content ?? true,
        type: options?.type,
        format: options?.format
      });
    } catch (error) {
      throw driveError(error);
    }
    if (model.type !== 'directory') {
      this._etags.set(localPath, model.hash ?? '');
    }
    return contentsModel(model);
  }

  /** The server's download of the object; the login cookie goes with it, no token in it. */
  async getDownloadUrl(localPath: string): Promise<string> {
    const model = await this.get(localPath, { content: false });
    const key = (model as ILakeContentsModel).key;
    if (model.type === 'directory' || !key) {
      throw new LakeDriveError(`${localPath} is a folder, not one file.`, {
        status: 400
      });
    }
    return this._api.downloadUrl(splitDrivePath(localPath).area, key);
  }

  async save(
    localPath: string,
    options: Partial<Contents.IModel> = {}
  ): Promise<Contents.IModel> {
    const type = options.type === 'notebook' ? 'notebook' : 'file';
    let model: ILakeContentsModel;
    try {
      model = await this._api.saveContents(
        localPath,
        // Never read: the object must not exist yet.
        this._etags.get(localPath) ?? '',
        { type, format: options.format ?? null, content: options.content }
      );
    } catch (error) {
      throw driveError(error);
    }
    this._etags.set(localPath, model.hash ?? '');
    const saved = contentsModel(model);
    this._fileChanged.emit({ type: 'save', oldValue: null, newValue: saved });
    return saved;
  }

  newUntitled(): Promise<Contents.IModel> {
    return this._refuse('create new files in');
  }

  delete(): Promise<void> {
    return this._refuse('delete from');
  }

  rename(): Promise<Contents.IModel> {
    return this._refuse('rename in');
  }

  copy(): Promise<Contents.IModel> {
    return this._refuse('copy within');
  }

  /**
   * S3 keeps no checkpoints. JupyterLab makes one when a writable document opens and after
   * every save from the menu, and reports a failure as an error: a checkpoint that is no copy
   * of anything lets those saves work. Reverting to it is refused.
   */
  async createCheckpoint(): Promise<Contents.ICheckpointModel> {
    return { id: 'none', last_modified: new Date().toISOString() };
  }

  async listCheckpoints(): Promise<Contents.ICheckpointModel[]> {
    return [];
  }

  restoreCheckpoint(): Promise<void> {
    return this._refuse('keep checkpoints of');
  }

  async deleteCheckpoint(): Promise<void> {
    // Nothing was kept.
  }

  private _refuse(what: string): Promise<never> {
    return Promise.reject(
      new LakeDriveError(
        `JupyterLab cannot ${what} the data lake; use the data lake panel.`,
        { status: 400 }
      )
    );
  }

  private _api: DataLakeAPI;
  /** Per path, the ETag of the version last read or written: what a save may replace. */
  private _etags = new Map<string, string>();
  private _fileChanged = new Signal<this, Contents.IChangedArgs>(this);
  private _isDisposed = false;
}

export namespace LakeDrive {
  export interface IOptions {
    api: DataLakeAPI;
    serverSettings?: ServerConnection.ISettings;
  }
}
