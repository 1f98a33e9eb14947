/**
 * Lake rows dropped on JupyterLab's file browser are downloaded there. The rows are dragged
 * with HTML5 drag and drop (LakeGrid puts `{ area, keys }` under LAKE_KEYS_MIME), and the file
 * browser's own native-drop handling is for files from the desktop; so each file browser gets
 * listeners in the capture phase that take our drags before it sees them, and leave all
 * others to it. The download goes through the lake actions: its plan and conflict dialog,
 * proposing the folder dropped on.
 */
import { FileBrowser, IFileBrowserFactory } from '@jupyterlab/filebrowser';

import { ILakeActions } from '../components/actions';
import { LAKE_KEYS_MIME } from '../components/lake/LakeGrid';
import { LakeBrowserModel } from '../models/lake';

const DROP_TARGET_CLASS = 'jp-mod-dropTarget';

function isLakeDrag(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes(LAKE_KEYS_MIME);
}

/**
 * The folder of home a drop lands in (a file browser path; "" for its root) and the element
 * to mark: a breadcrumb, a folder of the listing, or else the folder the browser shows.
 */
export function dropFolder(
  browser: FileBrowser,
  event: DragEvent
): { path: string; node: HTMLElement } {
  const target = event.target instanceof Element ? event.target : null;
  const crumb = target?.closest<HTMLElement>(
    '.jp-BreadCrumbs-home, .jp-BreadCrumbs-item'
  );
  if (crumb && browser.node.contains(crumb)) {
    return {
      path: crumb.classList.contains('jp-BreadCrumbs-home')
        ? ''
        : (crumb.dataset.path ?? browser.model.path),
      node: crumb
    };
  }
  // The listing is the browser's protected part; its items say whether they are folders, and
  // their name, which the browser's model knows the path of.
  const item = target?.closest<HTMLElement>('.jp-DirListing-item');
  if (item?.dataset.isdir === 'true') {
    const name = item.querySelector('.jp-DirListing-itemText')?.textContent;
    const model = Array.from(browser.model.items()).find(
      candidate => candidate.name === name
    );
    if (model) {
      return { path: model.path, node: item };
    }
  }
  const listing =
    browser.node.querySelector<HTMLElement>('.jp-DirListing') ?? browser.node;
  return { path: browser.model.path, node: listing };
}

/** Make every file browser, now and later, take lake rows dropped on it. */
export function acceptLakeDrops(
  browsers: IFileBrowserFactory,
  model: LakeBrowserModel,
  actions: ILakeActions
): void {
  const attach = (browser: FileBrowser) => {
    const node = browser.node;
    let marked: HTMLElement | null = null;
    const mark = (next: HTMLElement | null) => {
      marked?.classList.remove(DROP_TARGET_CLASS);
      next?.classList.add(DROP_TARGET_CLASS);
      marked = next;
    };
    const over = (event: DragEvent) => {
      if (!isLakeDrag(event)) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      if (event.dataTransfer) {
        event.dataTransfer.dropEffect = 'copy';
      }
      mark(dropFolder(browser, event).node);
    };
    const leave = (event: DragEvent) => {
      if (isLakeDrag(event) && !node.contains(event.relatedTarget as Node)) {
        mark(null);
      }
    };
    const drop = (event: DragEvent) => {
      if (!isLakeDrag(event)) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      mark(null);
      let dragged: { area?: unknown; keys?: unknown };
      try {
        dragged = JSON.parse(event.dataTransfer?.getData(LAKE_KEYS_MIME) ?? '');
      } catch {
        return;
      }
      // The rows are the browser's; a drag from a folder no longer shown finds none.
      const keys = Array.isArray(dragged.keys) ? dragged.keys : [];
      const entries =
        dragged.area === model.area ? model.entriesOf(keys as string[]) : [];
      if (entries.length > 0) {
        actions.downloadToHome(entries, dropFolder(browser, event).path);
      }
    };
    node.addEventListener('dragenter', over, true);
    node.addEventListener('dragover', over, true);
    node.addEventListener('dragleave', leave, true);
    node.addEventListener('drop', drop, true);
    browser.disposed.connect(() => {
      node.removeEventListener('dragenter', over, true);
      node.removeEventListener('dragover', over, true);
      node.removeEventListener('dragleave', leave, true);
      node.removeEventListener('drop', drop, true);
    });
  };
  browsers.tracker.forEach(attach);
  browsers.tracker.widgetAdded.connect((_, browser) => attach(browser));
}
