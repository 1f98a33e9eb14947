/**
 * What this extension offers other extensions, as Lumino tokens, and the ids others refer to.
 * `IDataLake` is the typed client with the models built on it, so that another extension can
 * start a transfer, read home usage or follow the connection without a second client or a
 * second poll; `IStoragePanel` opens the Storage panel at one of its sections; `ILakePanel`
 * opens the data lake panel, in the sidebar or as a wide tab, and tells which rows of it a
 * command is about. The REST types are in api/types.ts.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { DataLakeAPI } from './api/client';
import { IThresholds } from './logic/format';
import { AtRiskModel } from './models/atrisk';
import { LakeBrowserModel } from './models/lake';
import { StatusModel } from './models/status';
import { TransfersModel } from './models/transfers';
import { UsageModel } from './models/usage';

/** The data lake client and the models of the server's facts, one of each per JupyterLab. */
export interface IDataLake {
  /** The typed client of the server extension's REST API. */
  readonly api: DataLakeAPI;
  /** The connection to the data lake: who the user is, the bucket, what is wrong. */
  readonly status: StatusModel;
  /** Home usage against the quota; it also holds the usage warning thresholds. */
  readonly usage: UsageModel;
  /** What sits in places lost at restart, and the rescue of it. */
  readonly atRisk: AtRiskModel;
  /** The transfers of this server: start, watch, retry, remove; `finished` tells each end. */
  readonly transfers: TransfersModel;
  /** The folder of the lake the data lake panel shows (its sidebar panel and its tab alike). */
  readonly lake: LakeBrowserModel;
  /** The user's settings of this extension, as last read. */
  readonly settings: IDataLake.ISettings;
  /** Emitted with the settings whenever the user changes them. */
  readonly settingsChanged: ISignal<IDataLake, IDataLake.ISettings>;
}

export namespace IDataLake {
  export interface ISettings {
    /** Seconds between status requests. */
    statusInterval: number;
    /** Seconds between usage requests. */
    usageInterval: number;
    thresholds: IThresholds;
    showStatusBar: boolean;
    /** Warn when a saved notebook or script writes to a place lost at restart. */
    checkPaths: boolean;
  }
}

export const IDataLake = new Token<IDataLake>(
  'jupyterlab-datalake:IDataLake',
  'The data lake client and models: start a transfer, read home usage, follow the connection.'
);

/** The Storage panel in the left sidebar. */
export interface IStoragePanel {
  /** Show the panel. */
  open(): void;
  /** Show the panel, scrolled to a section. */
  show(section: IStoragePanel.Section): void;
}

export namespace IStoragePanel {
  /** `home` is the usage of home at the top, where the status bar item leads. */
  export type Section = 'home' | 'transfers' | 'largestFiles';
}

export const IStoragePanel = new Token<IStoragePanel>(
  'jupyterlab-datalake:IStoragePanel',
  'Open the Storage panel, at home usage, its transfers or the largest files of home.'
);

/**
 * The data lake panel: the connection and the lake browser, in the left sidebar, and the same
 * browser as a main-area tab for a wide view (both show `IDataLake.lake`'s folder).
 */
export interface ILakePanel {
  /** Show the panel in its sidebar. */
  open(): void;
  /** Show the browser as a tab in the main area. */
  openInTab(): void;
  /**
   * The rows a command is about: the row right-clicked last (with the other selected rows, if
   * it is one of them), else the selected rows, else the focused row; null when none.
   * Other extensions' context-menu commands read this as the lake's own do.
   */
  target(): ILakePanel.ITarget | null;
}

export namespace ILakePanel {
  /** An area and keys in it; a folder's key ends in "/". */
  export interface ITarget {
    area: string;
    keys: string[];
    /** The folder shown, inside the area ("" for its top). */
    prefix: string;
  }
}

export const ILakePanel = new Token<ILakePanel>(
  'jupyterlab-datalake:ILakePanel',
  'Open the data lake panel, in the sidebar or as a tab, and read the rows a command is about.'
);

/** The commands; the settings schema's menus and the UI tests refer to these ids. */
export namespace CommandIDs {
  export const openPanel = 'datalake:open-storage-panel';
  export const refreshStatus = 'datalake:refresh-status';
  export const refreshUsage = 'datalake:refresh-usage';
  export const sendToLake = 'datalake:send-to-lake';
  export const openLakePanel = 'datalake:open-lake-panel';
  export const openLakeTab = 'datalake:open-lake-tab';
  // The lake browser's context menu (schema/plugin.json); each acts on ILakePanel.target().
  export const lakeOpen = 'datalake:lake-open';
  export const lakeDownloadHome = 'datalake:lake-download-home';
  export const lakeDownloadComputer = 'datalake:lake-download-computer';
  export const lakeCopyUri = 'datalake:lake-copy-uri';
  export const lakeCopySnippet = 'datalake:lake-copy-snippet';
  export const lakeDelete = 'datalake:lake-delete';
  // Menu entries for the operations of commands/lakeOps.ts, which take explicit arguments:
  // each passes the target to the command below of the same name, if it is registered.
  export const lakeMenuRename = 'datalake:lake-menu-rename';
  export const lakeMenuCopy = 'datalake:lake-menu-copy';
  export const lakeMenuMove = 'datalake:lake-menu-move';
  export const lakeMenuNewFolder = 'datalake:lake-menu-new-folder';
  export const lakeMenuShareLink = 'datalake:lake-menu-share-link';
  export const lakeMenuTrinoTable = 'datalake:lake-menu-trino-table';
}

/**
 * The lake operations' own commands (commands/lakeOps.ts), with their arguments; the menu
 * entries above call them with the rows right-clicked or selected.
 */
export namespace LakeOpIDs {
  /** {area, key}: rename an object or folder (a move within its folder). */
  export const rename = 'datalake:lake-rename';
  /** {area, keys}: copy objects and folders (folder keys end in "/"); asks for the destination area and folder. */
  export const copy = 'datalake:lake-copy';
  /** {area, keys}: move objects and folders (folder keys end in "/"); asks for the destination area and folder. */
  export const move = 'datalake:lake-move';
  /** {area, prefix}: a new folder in the folder `prefix` of the area. */
  export const newFolder = 'datalake:lake-new-folder';
  /** {area, key}: copy a presigned link to the object, asking its lifetime. */
  export const shareLink = 'datalake:lake-share-link';
  /** {area, prefix}: show, then copy, the Trino CREATE TABLE over a folder of CSV or Parquet files. */
  export const trinoTable = 'datalake:lake-trino-table';
}

/** The plugin that reads the settings: schema/plugin.json is keyed by this id. */
export const PLUGIN_ID = 'jupyterlab-datalake:plugin';
export const PANEL_ID = 'jp-datalake-storage';
/** The data lake panel in the left sidebar, and its wide view in the main area. */
export const LAKE_PANEL_ID = 'jp-datalake-lake';
export const LAKE_TAB_ID = 'jp-datalake-lake-tab';
