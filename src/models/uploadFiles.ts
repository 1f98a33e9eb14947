/**
 * Uploading several files from the user's computer into one folder of the lake, one file at a
 * time, asking the user what to do when a name exists already. The browser model starts it;
 * uploads.ts sends each file.
 */
import { DataLakeAPI } from '../api/client';
import { isConflict } from '../api/request';
import { Area, ConflictPolicy, IBrowserUpload } from '../api/types';
import { BrowserUploader } from './uploads';

/** What the user chose for a file whose name exists already. */
export interface IClashAnswer {
  conflict: 'overwrite' | 'rename' | 'skip';
  /** Do the same for the next files that clash. */
  always: boolean;
}

/** Ask the user about a clash; `remaining` files come after this one. */
export type AskClash = (
  name: string,
  remaining: number
) => Promise<IClashAnswer>;

/** The names of the files of an upload, by how each ended. */
export interface IUploadReport {
  done: string[];
  skipped: string[];
  stopped: string[];
  /** Failures no notification has told; the server recorded none of these. */
  failed: { name: string; message: string }[];
}

/** What an upload of several files works with. */
export interface IUploadParts {
  api: Pick<DataLakeAPI, 'openUpload'>;
  uploader: BrowserUploader;
  /** Follow the transfer the server opened for a file. */
  watch: (upload: IBrowserUpload) => Promise<unknown>;
  /** A file is in the lake now. */
  done: () => void;
}

/** Upload `files` into `prefix` of `area`, and report how each ended. */
export async function uploadFiles(
  files: readonly File[],
  area: Area,
  prefix: string,
  ask: AskClash,
  parts: IUploadParts
): Promise<IUploadReport> {
  const report: IUploadReport = {
    done: [],
    skipped: [],
    stopped: [],
    failed: []
  };
  let always: ConflictPolicy | null = null;
  for (const [i, file] of files.entries()) {
    let upload: IBrowserUpload | null = null;
    // A remembered "skip" still opens with 'ask', so that skipping makes no transfer.
    let conflict: ConflictPolicy = always && always !== 'skip' ? always : 'ask';
    try {
      while (!upload) {
        try {
          upload = await parts.api.openUpload({
            area,
            prefix,
            name: file.name,
            size: file.size,
            conflict
          });
        } catch (error) {
          if (!isConflict(error) || conflict !== 'ask') {
            throw error;
          }
          const answer: IClashAnswer =
            always === 'skip'
              ? { conflict: 'skip', always: true }
              : await ask(file.name, files.length - i - 1);
          if (answer.always) {
            always = answer.conflict;
          }
          if (answer.conflict === 'skip') {
            break;
          }
          conflict = answer.conflict;
        }
      }
      if (!upload) {
        report.skipped.push(file.name);
        continue;
      }
      void parts.watch(upload).catch(() => undefined);
      const outcome = await parts.uploader.send(upload, file);
      if (outcome !== 'failed') {
        report[outcome].push(file.name);
      }
      if (outcome === 'done') {
        parts.done();
      }
    } catch (error) {
      report.failed.push({
        name: file.name,
        message: (error as Error).message
      });
    }
  }
  return report;
}
