/**
 * The one place this extension patches JupyterLab: a check before a document is saved.
 *
 * JupyterLab 4 has no supported hook that runs before a save and may hold it back: the context's
 * `saveState` signal says 'started' from inside the save, too late to ask first, and neither the
 * document registry's widget extensions nor the document manager offer one. So the context's
 * own `save` method is wrapped, on that one context object (never on the prototype): the save
 * commands, the autosave and "Save and checkpoint" all call `context.save()`. The test of this
 * module builds a real Context of @jupyterlab/docregistry and fails if that changes (a renamed
 * method, another signature, saves that stop going through it), so that an upgrade of
 * JupyterLab cannot silently turn the check off.
 */
import { DocumentRegistry } from '@jupyterlab/docregistry';

/**
 * Make every save of `context` ask `proceed` first; when it answers false, the save does not
 * happen and the document stays open and dirty, so nothing is lost.
 */
export function guardSave(
  context: DocumentRegistry.IContext<any>,
  proceed: () => Promise<boolean>
): void {
  const save = context.save.bind(context);
  context.save = async () => {
    if (await proceed()) {
      return save();
    }
  };
}
