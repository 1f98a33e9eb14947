import { ISignal, Signal } from '@lumino/signaling';

import { DataLakeAPI } from '../api/client';
import {
  ITransfer,
  ITransferPlan,
  ITransferRequest,
  TransferState
} from '../api/types';
import {
  isActive,
  madeObjects,
  trackTransfers,
  writtenKeys
} from '../logic/transfers';
import { PolledModel } from './polled';

/**
 * The transfers of this server. The list lives on the server, so a reload shows it as it was.
 * While anything is queued or running the poll is quick and keeps going with the panel
 * closed, so that the user hears when their transfer ends; otherwise it is slow and stands by
 * while nobody looks.
 */
export class TransfersModel extends PolledModel<ITransfer[]> {
  constructor(options: TransfersModel.IOptions) {
    const interval = options.interval ?? 15;
    super({
      name: 'jupyterlab-datalake:transfers',
      interval,
      maxInterval: options.maxInterval
    });
    this._api = options.api;
    this._idleInterval = interval;
    this._activeInterval = options.activeInterval ?? 1;
  }

  get transfers(): ITransfer[] {
    return this.value ?? [];
  }

  /** Whether anything is queued or running. */
  get hasActive(): boolean {
    return this.transfers.some(transfer => isActive(transfer.state));
  }

  /** Emitted once for each transfer that ends while this browser watches it. */
  get finished(): ISignal<this, ITransfer> {
    return this._finished;
  }

  /**
   * Emitted for each transfer this browser (re)starts or follows, as soon as the server has
   * it: before the list that may already show it finished.
   */
  get started(): ISignal<this, ITransfer> {
    return this._startedSignal;
  }

  /** Where the files would go, and which keys exist already; starts nothing. */
  plan(request: ITransferRequest): Promise<ITransferPlan> {
    return this._api.planTransfer(request);
  }

  /**
   * Start a transfer; fails with status 409 on a clash when `conflict` is 'ask'. (`start`
   * starts the poll.)
   */
  async startTransfer(request: ITransferRequest): Promise<ITransfer> {
    return this._started(await this._api.startTransfer(request));
  }

  async retry(id: string): Promise<ITransfer> {
    return this._started(await this._api.retryTransfer(id));
  }

  /**
   * Follow a transfer started by another route, such as an upload from the user's computer,
   * as closely as one started here: shown at once, and told when it ends.
   */
  watch(transfer: ITransfer): Promise<ITransfer> {
    return this._started(transfer);
  }

  /**
   * Stop a queued or running transfer (the server keeps it, as cancelled), or take a finished
   * one off the list: one request, which the server reads by the transfer's state.
   */
  async remove(id: string): Promise<void> {
    await this._api.deleteTransfer(id);
    await this._reload();
  }

  /** Take every finished transfer off the list. */
  async clear(): Promise<void> {
    await this._api.clearTransfers();
    await this._reload();
  }

  /**
   * Whether what a finished upload wrote is gone from the lake (deleted since, say, or the
   * lake reseeded), as last asked by `checkInLake`; undefined until asked.
   */
  isGone(id: string): boolean | undefined {
    return this._gone.get(id);
  }

  /**
   * Ask the lake whether what these finished uploads wrote is still there: each once, or
   * with `again` now whatever was known. A single file is looked for by its key, many files
   * (a folder) by their keys, gone when none is left. True unless one of them is gone; what
   * cannot be asked (the lake down, an area no longer configured) counts as there.
   */
  async checkInLake(
    transfers: readonly ITransfer[],
    again = false
  ): Promise<boolean> {
    const asked = transfers.filter(
      t =>
        madeObjects(t) &&
        !this._asking.has(t.id) &&
        (again || !this._gone.has(t.id))
    );
    if (asked.length > 0) {
      asked.forEach(t => this._asking.add(t.id));
      try {
        await this._ask(asked);
      } finally {
        asked.forEach(t => this._asking.delete(t.id));
      }
    }
    return transfers.every(t => this._gone.get(t.id) !== true);
  }

  protected fetch(): Promise<ITransfer[]> {
    return this._api.listTransfers();
  }

  /** Polls before the first answer too, to learn whether anything runs since a reload. */
  protected pollsUnseen(): boolean {
    return this.value === null || this.hasActive || this._waking;
  }

  protected applied(transfers: ITransfer[]): void {
    const { known, finished } = trackTransfers(this._known, transfers);
    this._known = known;
    this.setInterval(
      this.hasActive ? this._activeInterval : this._idleInterval
    );
    for (const transfer of finished) {
      this._finished.emit(transfer);
    }
  }

  /**
   * A transfer that the server just (re)started: remember it as active, so that its end is
   * told even if it ends before the next list, then poll quickly.
   */
  private async _started(transfer: ITransfer): Promise<ITransfer> {
    this._known.set(transfer.id, transfer.state);
    this._startedSignal.emit(transfer);
    // The poll may be waiting out an idle interval, or standing by with the panel closed.
    this._waking = true;
    try {
      await this.refresh();
    } finally {
      this._waking = false;
    }
    return transfer;
  }

  private async _ask(transfers: ITransfer[]): Promise<void> {
    const byArea = new Map<string, ITransfer[]>();
    const many: ITransfer[] = [];
    for (const t of transfers) {
      if (t.destination.endsWith('/')) {
        many.push(t);
      } else {
        byArea.set(t.area, [...(byArea.get(t.area) ?? []), t]);
      }
    }
    const found = new Map<string, boolean>();
    const single = async (area: string, files: ITransfer[]) => {
      for (let i = 0; i < files.length; i += INFO_BATCH) {
        const batch = files.slice(i, i + INFO_BATCH);
        const infos = await this._api.objectsInfo(
          area,
          batch.map(t => t.destination)
        );
        batch.forEach((t, n) => found.set(t.id, infos[n]?.missing === true));
      }
    };
    const folder = async (t: ITransfer) => {
      const { items = [] } = await this._api.getTransfer(t.id);
      const keys = writtenKeys(items, INFO_BATCH);
      if (keys.length > 0) {
        const infos = await this._api.objectsInfo(t.area, keys);
        found.set(
          t.id,
          infos.every(info => info.missing === true)
        );
      }
    };
    // What cannot be asked stays unknown, and is asked again when next shown.
    const quietly = (asking: Promise<void>) => asking.catch(() => undefined);
    await Promise.all([
      ...[...byArea].map(([area, files]) => quietly(single(area, files))),
      ...many.map(t => quietly(folder(t)))
    ]);
    let changed = false;
    for (const [id, gone] of found) {
      changed = changed || this._gone.get(id) !== gone;
      this._gone.set(id, gone);
    }
    if (changed) {
      this.emitChanged();
    }
  }

  /** Fetch the list after a change, without waiting for the poll. */
  private async _reload(): Promise<void> {
    await this.request(() => this._api.listTransfers());
    this.emitChanged();
  }

  private _api: DataLakeAPI;
  private _idleInterval: number;
  private _activeInterval: number;
  private _known = new Map<string, TransferState>();
  private _waking = false;
  private _finished = new Signal<this, ITransfer>(this);
  private _startedSignal = new Signal<this, ITransfer>(this);
  private _gone = new Map<string, boolean>();
  private _asking = new Set<string>();
}

/** The most keys `POST /datalake/objects/info` answers at once. */
const INFO_BATCH = 200;

export namespace TransfersModel {
  export interface IOptions extends PolledModel.IClientOptions {
    /** Seconds between requests while a transfer is queued or running. */
    activeInterval?: number;
  }
}
