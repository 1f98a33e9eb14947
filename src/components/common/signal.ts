/**
 * The one hook by which function components follow a model: re-render on every emission of
 * its signals. Class widgets (the panel, the status bar item) use JupyterLab's `UseSignal`
 * component for the same; a function component holding state of its own, such as the lake
 * browser's sort and scroll position, needs a hook, so that a new row does not reset them.
 */
import { ISignal } from '@lumino/signaling';
import * as React from 'react';

/** Re-render on every emission of a signal. */
export function useSignal(signal: ISignal<unknown, unknown>): void {
  const [, setCount] = React.useState(0);
  React.useEffect(() => {
    const slot = () => setCount(count => count + 1);
    signal.connect(slot);
    return () => {
      signal.disconnect(slot);
    };
  }, [signal]);
}
