import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { TranslationBundle } from '@jupyterlab/translation';

import { findPathsInNotebook, findPathsInPython } from '../logic/pathcheck';
import { DocumentWatcher } from './documents';

/**
 * Warns, once per save (and on opening), when a notebook or Python script writes to a place
 * that is lost at restart, naming the cell and line and suggesting the place under home.
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
    const findings = context.path.endsWith('.ipynb')
      ? findPathsInNotebook(context.model.toJSON() as any, locations, home)
      : findPathsInPython(context.model.toString(), locations, home);
    if (findings.length === 0) {
      return;
    }
    const first = findings[0];
    const place =
      first.cell === null
        ? this._trans.__('line %1', first.line)
        : this._trans.__('cell %1, line %2', first.cell + 1, first.line);
    const more =
      findings.length > 1
        ? ' ' + this._trans.__('(and %1 more)', findings.length - 1)
        : '';
    // Toasts show about 140 characters: what, where, and the fix come first.
    Notification.warning(
      this._trans.__(
        '%1 (%2) writes to %3, which a restart deletes. Use %4 instead.',
        PathExt.basename(context.path),
        place,
        first.path,
        first.suggestion
      ) + more,
      { autoClose: 10000 }
    );
  }
}
