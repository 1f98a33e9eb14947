/**
 * What the Storage panel's sections and the notifications can ask for: the contract between
 * the views, which only render models and call these, and the commands/ that carry them out
 * with dialogs and notifications. Views never show a dialog themselves, so they stay testable
 * with a fake of these.
 */
import { IPackage, ITransfer } from '../api/types';
import { ILakeEntry } from '../logic/entries';

/** What the user can do with home's usage and with what is lost at restart. */
export interface IHomeActions {
  /** Show a path relative to home in the file browser. */
  showInFileBrowser(path: string): void;
  /** Ask, then empty home's trash. */
  emptyTrash(): void;
  /** Move an entry of a place lost at restart into home. */
  rescue(path: string): void;
  /** Copy the pip command that installs packages into home. */
  copyPipCommand(packages: IPackage[]): void;
  /** Send a file or folder to the data lake: a path relative to home. */
  sendFromHome(path: string): void;
  /** Send a file or folder to the data lake: a file browser path, or an absolute one. */
  sendToLake(path: string): void;
}

/** What the user can do with transfers, from the panel and from notifications. */
export interface ITransferActions {
  cancel(transfer: ITransfer): void;
  retry(transfer: ITransfer): void;
  remove(transfer: ITransfer): void;
  /** Take every finished transfer off the list. */
  clear(): void;
  copyUri(transfer: ITransfer): void;
  copySnippet(transfer: ITransfer): void;
  /** Show, then copy, the Trino table over a folder the transfer sent; where offered. */
  trinoTable?(transfer: ITransfer): void;
  /** Open the Storage panel at its list of transfers. */
  showTransfers(): void;
  /** Show a finished download in the file browser. */
  showInFileBrowser(transfer: ITransfer): void;
}

/** What the user can do from the data lake browser; dialogs and notifications included. */
export interface ILakeActions {
  /**
   * Ask where in home, then download objects and folders there: into `destination` (a file
   * browser path, "" for its root) if given, such as the folder they were dropped on; else
   * into the folder the file browser shows.
   */
  downloadToHome(entries: ILakeEntry[], destination?: string): void;
  /**
   * Open an object in JupyterLab's own viewer or editor, through the `datalake:` drive; one
   * too large to open whole is offered for download instead.
   */
  open(entry: ILakeEntry): void;
  /** Save an object through the web browser, onto the user's computer. */
  downloadToComputer(entry: ILakeEntry): void;
  copyUri(entry: ILakeEntry): void;
  copySnippet(entry: ILakeEntry): void;
  /** Ask for confirmation, then delete. */
  delete(entries: ILakeEntry[]): void;
  /** Ask for a new name (the lake operations' command), where that command is installed. */
  rename(entry: ILakeEntry): void;
  /**
   * Send files of home into the folder shown (file browser paths, as dragged from it): the
   * Send dialog asks, starting at that folder, and plans and starts the transfer.
   */
  sendHere(paths: string[]): void;
  /**
   * Upload files from the user's computer into the folder shown. `folders` names folders
   * dropped with them, which a web page cannot read as a whole.
   */
  upload(files: File[], folders?: string[]): void;
}
