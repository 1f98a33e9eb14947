/**
 * What a search below a folder says about itself: running, found, stopped, or at the server's
 * bound, where the user is told to search a narrower folder.
 */
import { TranslationBundle } from '@jupyterlab/translation';

export interface ISearchState {
  text: string;
  found: number;
  searched: number;
  running: boolean;
  stopped: boolean;
  /** Objects searched when the search ended at the bound; null when it did not. */
  bounded: number | null;
  error: string | null;
}

/** "1,234" the same in every locale's test run. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** One line on the state of the search. */
export function searchSummary(
  state: ISearchState,
  trans: TranslationBundle
): string {
  const found = trans._n(
    '%1 match',
    '%1 matches',
    state.found,
    formatCount(state.found)
  );
  const searched = formatCount(state.searched);
  if (state.error) {
    return trans.__('The search failed: %1', state.error);
  }
  if (state.running) {
    return trans.__(
      'Searching for “%1”… %2 so far, %3 objects searched',
      state.text,
      found,
      searched
    );
  }
  if (state.bounded !== null) {
    return trans.__(
      '%1; searched %2 objects; refine the folder.',
      found,
      formatCount(state.bounded)
    );
  }
  if (state.stopped) {
    return trans.__('%1; stopped after %2 objects searched.', found, searched);
  }
  return trans.__('%1 in %2 objects searched.', found, searched);
}

/**
 * The folder (inside the area) to show a match in: a folder found opens itself, an object its
 * folder. `prefix` is the folder searched; a match's path is inside it.
 */
export function matchFolder(
  prefix: string,
  match: { path: string; folder: boolean }
): string {
  const parts = match.path.replace(/\/+$/, '').split('/');
  const inside = match.folder ? parts : parts.slice(0, -1);
  return [prefix, ...inside].filter(Boolean).join('/');
}
