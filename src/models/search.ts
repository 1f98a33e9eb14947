import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import { Area, ISearchMatch } from '../api/types';

/** The part of the client a search needs (a fake of it in tests). */
export type SearchClient = Pick<DataLakeAPI, 'searchObjects'>;

/**
 * Find in a folder and below: the server walks the subtree a step per request, and this asks
 * for step after step, keeping the matches as they come, until the walk ends, reaches its
 * bound, fails, or the user stops it. A new search, or a stop, makes any answer still on its
 * way count for nothing.
 */
export class LakeSearch {
  constructor(api: SearchClient) {
    this._api = api;
  }

  /** Emitted whenever the matches or the state change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** What is searched for, and where; null before the first search or after `clear`. */
  get query(): LakeSearch.IQuery | null {
    return this._query;
  }

  get matches(): readonly ISearchMatch[] {
    return this._matches;
  }

  /** Objects looked at so far. */
  get searched(): number {
    return this._searched;
  }

  get running(): boolean {
    return this._running;
  }

  /** The search ended by itself at the server's bound: this many objects were searched. */
  get bounded(): number | null {
    return this._bounded;
  }

  /** The user stopped it before the end. */
  get stopped(): boolean {
    return this._stopped;
  }

  get error(): string | null {
    return this._error;
  }

  /** Search `area`'s folder `prefix` and below for names holding `text`; ends any other. */
  async start(area: Area, prefix: string, text: string): Promise<void> {
    const run = ++this._run;
    this._query = { area, prefix, text };
    this._matches = [];
    this._searched = 0;
    this._bounded = null;
    this._stopped = false;
    this._error = null;
    this._running = true;
    this._changed.emit();
    let cursor: string | null = null;
    try {
      do {
        const step = await this._api.searchObjects(area, prefix, text, cursor);
        if (run !== this._run) {
          return; // stopped, cleared or started anew meanwhile
        }
        this._matches = [...this._matches, ...step.matches];
        this._searched = step.searched;
        this._bounded = step.bounded ? step.searched : null;
        cursor = step.next_cursor;
        this._changed.emit();
      } while (cursor);
    } catch (error) {
      if (run !== this._run) {
        return;
      }
      this._error = (error as Error).message ?? String(error);
    }
    this._running = false;
    this._changed.emit();
  }

  /** Stop asking; what was found stays shown. */
  stop(): void {
    if (!this._running) {
      return;
    }
    this._run++;
    this._running = false;
    this._stopped = true;
    this._changed.emit();
  }

  /** Stop, and forget the search. */
  clear(): void {
    this._run++;
    this._running = false;
    this._query = null;
    this._matches = [];
    this._searched = 0;
    this._bounded = null;
    this._stopped = false;
    this._error = null;
    this._changed.emit();
  }

  private _api: SearchClient;
  private _changed = new Signal<this, void>(this);
  private _run = 0;
  private _query: LakeSearch.IQuery | null = null;
  private _matches: ISearchMatch[] = [];
  private _searched = 0;
  private _running = false;
  private _bounded: number | null = null;
  private _stopped = false;
  private _error: string | null = null;
}

export namespace LakeSearch {
  export interface IQuery {
    area: Area;
    /** The folder inside the area searched from. */
    prefix: string;
    text: string;
  }
}
