import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import {
  findPathsInNotebook,
  findPathsInPython,
  IPathFinding
} from '../logic/pathcheck';
import { DocumentWatcher } from './documents';

/**
 * How many characters JupyterLab shows of a notification, in a toast and in the notification
 * centre alike; the rest is cut off.
 */
export const NOTIFICATION_CHARS = 140;

/**
 * Warns, on opening and after a save, when a notebook or Python script writes to a place that
 * is lost at restart, naming the cell and line and suggesting the place under home. Each
 * line is warned about once: not again on the next save or opening, only once it changes.
 */
export class PathWarnings extends DocumentWatcher {
  constructor(
    private readonly _trans: TranslationBundle,
    private readonly _where: () => { home: string; locations: string[] } | null,
    private readonly _enabled: () => boolean
  ) {
    super();
  }

  protected watch(context: DocumentRegistry.IContext<any>): void {
    if (!/\.(ipynb|py)$/.test(context.path)) {
      return;
    }
    void context.ready.then(() => this._check(context));
    context.saveState.connect((_, state) => {
      if (state === 'completed') {
        this._check(context);
      }
    });
  }

  private _check(context: DocumentRegistry.IContext<any>): void {
    const where = this._where();
    if (!this._enabled() || !where || !context.model) {
      return;
    }
    const { home, locations } = where;
    const notebook = context.path.endsWith('.ipynb');
    const source = notebook
      ? (context.model.toJSON() as any)
      : context.model.toString();
    const findings = notebook
      ? findPathsInNotebook(source, locations, home)
      : findPathsInPython(source, locations, home);
    // By document path, so that closing and opening again is no reason to warn again.
    const before = this._warned.get(context.path) ?? new Set<string>();
    const now = new Map(findings.map(f => [findingKey(f, source), f]));
    this._warned.set(context.path, new Set(now.keys()));
    const fresh = [...now].filter(([key]) => !before.has(key));
    if (fresh.length === 0) {
      return;
    }
    Notification.warning(
      pathWarning(
        this._trans,
        PathExt.basename(context.path),
        fresh.map(([, finding]) => finding),
        home
      ),
      { autoClose: 10000 }
    );
  }

  /** Per document path: what its lines that were warned about say. */
  private _warned = new Map<string, Set<string>>();
}

/**
 * What identifies a finding until its line changes: the path and the whole line as written
 * (and its cell), not its number, so that lines added above it do not warn again.
 */
export function findingKey(
  finding: IPathFinding,
  source: string | { cells: { source: string | string[] }[] }
): string {
  const text =
    typeof source === 'string'
      ? source
      : [source.cells[finding.cell ?? 0]?.source ?? ''].flat().join('');
  const line = text.split('\n')[finding.line - 1] ?? String(finding.line);
  return [finding.cell ?? '', finding.path, line].join('\u0000');
}

/**
 * The warning about the first finding, in the characters a notification shows, the advice
 * included: home as "~"; when that is not enough, fewer words, and the paths shortened in the
 * middle with their file names kept, the advice getting the larger share.
 */
export function pathWarning(
  trans: TranslationBundle,
  document: string,
  findings: IPathFinding[],
  home: string,
  max = NOTIFICATION_CHARS
): string {
  const [first] = findings;
  const place =
    first.cell === null
      ? trans.__('line %1', first.line)
      : trans.__('cell %1, line %2', first.cell + 1, first.line);
  const more =
    findings.length > 1
      ? ' ' + trans.__('(and %1 more)', findings.length - 1)
      : '';
  const path = tilde(first.path, home);
  const suggestion = tilde(first.suggestion, home);
  // What, where, and the fix come first.
  const full = trans.__(
    '%1 (%2) writes to %3, which a restart deletes. Use %4 instead.',
    document,
    place,
    path,
    suggestion
  );
  if (full.length + more.length <= max) {
    return full + more;
  }
  const name = shortenMiddle(document, 30);
  const short = (from: string, to: string) =>
    trans.__('%1 (%2): %3 is lost at restart. Use %4.', name, place, from, to) +
    more;
  const room = max - short('', '').length;
  if (path.length + suggestion.length <= room) {
    return short(path, suggestion);
  }
  const forPath = Math.max(
    Math.min(path.length, Math.floor((room * 2) / 5)),
    room - suggestion.length
  );
  return short(
    shortenPath(path, forPath),
    shortenPath(suggestion, room - forPath)
  );
}

/**
 * A path in at most `max` characters, its file name kept whole when it fits:
 * "/dev/shm/exp…/features.parquet".
 */
export function shortenPath(path: string, max: number): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (path.length <= max || name.length + 2 > max) {
    return shortenMiddle(path, max);
  }
  return path.slice(0, max - name.length - 2) + '…/' + name;
}

/** A path under home as the shell writes it: "~/tmp/out.csv" (a `file:` URL keeps its scheme). */
export function tilde(path: string, home: string): string {
  const root = home.replace(/\/+$/, '');
  const scheme = /^file:(\/\/)?/.exec(path)?.[0] ?? '';
  const rest = path.slice(scheme.length);
  if (root && (rest === root || rest.startsWith(root + '/'))) {
    return scheme + '~' + rest.slice(root.length);
  }
  return path;
}

/** At most `max` characters, cut in the middle: "/dev/shm/…/features.parquet". */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  if (max <= 1) {
    return '…';
  }
  // The end (the file name) tells most; keep twice as much of it as of the start.
  const head = Math.floor((max - 1) / 3);
  return text.slice(0, head) + '…' + text.slice(text.length - (max - 1 - head));
}
