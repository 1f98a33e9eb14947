/**
 * The protocol of an upload from the user's computer, apart from the browser model that starts
 * it: the file goes in parts of the size the server chose, in order, then the server completes
 * the object. What the sender can tell of the outcome is all it reports; the server's record of
 * the transfer tells the rest.
 */
import { DataLakeAPI } from '../api/client';
import { DataLakeAPIError, isConflict } from '../api/request';
import { IBrowserUpload } from '../api/types';

/**
 * The byte ranges [start, end) of the parts a file is sent in: `partSize` bytes each, the
 * last one shorter. An empty file has no parts; the server writes it on completion.
 */
export function partRanges(size: number, partSize: number): [number, number][] {
  if (!(partSize > 0)) {
    throw new Error(`A part size must be positive, not ${partSize}.`);
  }
  const ranges: [number, number][] = [];
  for (let start = 0; start < size; start += partSize) {
    ranges.push([start, Math.min(size, start + partSize)]);
  }
  return ranges;
}

/** How an upload from the user's computer ended, as far as the sender knows. */
export type UploadOutcome =
  /** Every byte arrived and the server completed the object. */
  | 'done'
  /** The server skipped it: it existed and the user chose to keep it. */
  | 'skipped'
  /** Cancelled meanwhile, from the Transfers section. */
  | 'stopped'
  /**
   * The server refused to complete it (a checksum that did not match, say) and recorded the
   * transfer as failed; the Transfers section and the end-of-transfer notification tell why.
   */
  | 'failed';

/**
 * Sends one file from the user's computer to an upload the server opened, a part at a time and
 * in order, as the server computes the file's SHA-256 on the way. A cancel from the Transfers
 * section shows as a 409 on the next part: then it stops without a word.
 */
export class BrowserUploader {
  constructor(
    private readonly _api: Pick<
      DataLakeAPI,
      'uploadPart' | 'completeUpload' | 'deleteTransfer'
    >
  ) {}

  async send(upload: IBrowserUpload, file: Blob): Promise<UploadOutcome> {
    if (upload.part_size === null) {
      return 'skipped';
    }
    try {
      let n = 0;
      for (const [start, end] of partRanges(file.size, upload.part_size)) {
        await this._api.uploadPart(upload.id, ++n, file.slice(start, end));
      }
      await this._api.completeUpload(upload.id);
    } catch (error) {
      if (isConflict(error)) {
        return 'stopped';
      }
      if (error instanceof DataLakeAPIError && error.status === 502) {
        return 'failed';
      }
      // Else the server would hold the open multipart upload until it gives up on it.
      await this._api.deleteTransfer(upload.id).catch(() => undefined);
      throw error;
    }
    return 'done';
  }
}
