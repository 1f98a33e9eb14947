import { DocumentRegistry } from '@jupyterlab/docregistry';

/**
 * Watches every document's context once, whatever kind of document it is, including kinds
 * whose widget factories are registered after this extension starts.
 */
export abstract class DocumentWatcher implements DocumentRegistry.IWidgetExtension<
  any,
  any
> {
  attach(registry: DocumentRegistry): void {
    const add = (name: string) => {
      if (!this._factories.has(name.toLowerCase())) {
        this._factories.add(name.toLowerCase());
        registry.addWidgetExtension(name, this);
      }
    };
    for (const factory of registry.widgetFactories()) {
      add(factory.name);
    }
    registry.changed.connect((_, change) => {
      if (
        change.type === 'widgetFactory' &&
        change.change === 'added' &&
        change.name
      ) {
        add(change.name);
      }
    });
  }

  createNew(_: unknown, context: DocumentRegistry.IContext<any>): void {
    // One context can back several widgets (a notebook opened twice); watch it once.
    if (!this._contexts.has(context)) {
      this._contexts.add(context);
      this.watch(context);
    }
  }

  protected abstract watch(context: DocumentRegistry.IContext<any>): void;

  private _factories = new Set<string>();
  private _contexts = new WeakSet<object>();
}
