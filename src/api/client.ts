/**
 * The one typed client of the server extension's REST API: every request of the frontend goes
 * through it. Its parts live by concern: the request and its errors in request.ts, the lake
 * objects in objects.ts; this file adds the user's home, the transfers and the uploads from
 * the user's computer.
 */
import { LakeObjectsAPI } from './objects';
import { requestAPI } from './request';
import {
  IAtRisk,
  IBrowserUpload,
  IBrowserUploadRequest,
  IClassification,
  IRescueResult,
  ISpace,
  IStatus,
  ITransfer,
  ITransferPlan,
  ITransferRequest,
  ITrashEmptied,
  IUsage,
  IUsageUnchanged
} from './types';
import * as shapes from './validate';

/** The typed client every feature of the frontend talks to the server through. */
export class DataLakeAPI extends LakeObjectsAPI {
  /** Who the user is, which bucket, and whether it can be reached. */
  getStatus(): Promise<IStatus> {
    return requestAPI<IStatus>(
      'status',
      { method: 'GET' },
      this._settings,
      shapes.status
    );
  }

  /**
   * The usage, or that it is still `version`: a poll that costs the server a statvfs, and that
   * rescans when home may have changed outside JupyterLab.
   */
  pollUsage(version: number): Promise<IUsage | IUsageUnchanged> {
    return requestAPI<IUsage | IUsageUnchanged>(
      `usage?since=${version}`,
      { method: 'GET' },
      this._settings,
      shapes.usagePoll
    );
  }

  /** Home usage against the quota; `refresh` waits for a full rescan. */
  getUsage(refresh = false): Promise<IUsage> {
    const query = refresh ? '?refresh=1' : '';
    return requestAPI<IUsage>(
      `usage${query}`,
      { method: 'GET' },
      this._settings,
      shapes.usage
    );
  }

  /** Room left on the volume a file at `path` (a file browser path) would be written to. */
  getSpace(path: string): Promise<ISpace> {
    const query = new URLSearchParams({ path }).toString();
    return requestAPI<ISpace>(
      `space?${query}`,
      { method: 'GET' },
      this._settings
    );
  }

  /** What sits in non-persistent places and vanishes at restart. */
  getAtRisk(all = false, refresh = false): Promise<IAtRisk> {
    const params = new URLSearchParams();
    if (all) {
      params.set('top', '0');
    }
    if (refresh) {
      params.set('refresh', '1');
    }
    const query = params.toString() ? `?${params}` : '';
    return requestAPI<IAtRisk>(
      `at-risk${query}`,
      { method: 'GET' },
      this._settings
    );
  }

  /** Whether absolute paths survive a restart, and why. */
  async classify(paths: string[]): Promise<IClassification[]> {
    const reply = await requestAPI<{ paths: IClassification[] }>(
      'paths/classify',
      { method: 'POST', body: JSON.stringify({ paths }) },
      this._settings
    );
    return reply.paths;
  }

  /** Move entries of watched places into home's rescue folder. */
  rescue(paths: string[]): Promise<IRescueResult> {
    return requestAPI<IRescueResult>(
      'rescue',
      { method: 'POST', body: JSON.stringify({ paths }) },
      this._settings
    );
  }

  /** Delete everything in home's trash, and return the usage afterwards. */
  emptyTrash(): Promise<ITrashEmptied> {
    return requestAPI<ITrashEmptied>(
      'trash/empty',
      { method: 'POST' },
      this._settings,
      shapes.usage
    );
  }

  /** Transfers of this server, newest first, without per-file detail. */
  async listTransfers(): Promise<ITransfer[]> {
    const reply = await requestAPI<{ transfers: ITransfer[] }>(
      'transfers',
      { method: 'GET' },
      this._settings,
      shapes.transferList
    );
    return reply.transfers;
  }

  /** One transfer with its per-file detail. */
  getTransfer(id: string): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `transfers/${encodeURIComponent(id)}`,
      { method: 'GET' },
      this._settings,
      shapes.transfer
    );
  }

  /** Where the files would go and which keys clash; starts nothing. */
  planTransfer(request: ITransferRequest): Promise<ITransferPlan> {
    return requestAPI<ITransferPlan>(
      'transfers',
      { method: 'POST', body: JSON.stringify({ ...request, dry_run: true }) },
      this._settings
    );
  }

  /**
   * Start a transfer. With `conflict: 'ask'` and a clash, this fails with status 409;
   * plan first to ask the user.
   */
  startTransfer(request: ITransferRequest): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      'transfers',
      { method: 'POST', body: JSON.stringify({ ...request, dry_run: false }) },
      this._settings,
      shapes.transfer
    );
  }

  /** Cancel a queued or running transfer; remove a finished one from the list. */
  async deleteTransfer(id: string): Promise<void> {
    await requestAPI<unknown>(
      `transfers/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
      this._settings
    );
  }

  /** Remove every finished, failed or cancelled transfer from the list. */
  async clearTransfers(): Promise<void> {
    await requestAPI<unknown>(
      'transfers',
      { method: 'DELETE' },
      this._settings
    );
  }

  /** Run a failed or cancelled transfer again. */
  retryTransfer(id: string): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `transfers/${encodeURIComponent(id)}/retry`,
      { method: 'POST' },
      this._settings,
      shapes.transfer
    );
  }

  /** Open an upload from the user's computer; then send parts, then complete. */
  openUpload(request: IBrowserUploadRequest): Promise<IBrowserUpload> {
    return requestAPI<IBrowserUpload>(
      'uploads',
      { method: 'POST', body: JSON.stringify(request) },
      this._settings
    );
  }

  /** Part `n` (from 1, in order) of an upload from the user's computer. */
  uploadPart(id: string, n: number, part: Blob): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `uploads/${encodeURIComponent(id)}/${n}`,
      { method: 'PUT', body: part },
      this._settings
    );
  }

  /** Finish an upload from the user's computer once every part is sent. */
  completeUpload(id: string): Promise<ITransfer> {
    return requestAPI<ITransfer>(
      `uploads/${encodeURIComponent(id)}/complete`,
      { method: 'POST' },
      this._settings
    );
  }
}
