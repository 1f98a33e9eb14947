import { ITransfer, TransferState } from '../tokens';

export const MiB = 1024 ** 2;

/** A transfer of one 100 MiB file, as the server lists it, in the state given. */
export function transfer(
  id: string,
  state: TransferState,
  more: Partial<ITransfer> = {}
): ITransfer {
  const done = state === 'done';
  return {
    id,
    direction: 'upload',
    origin: 'home',
    area: 'mine',
    prefix: '',
    sources: [`data/${id}.csv`],
    conflict: 'ask',
    state,
    message: state === 'failed' ? 'The bucket refused the upload.' : null,
    bytes_total: 100 * MiB,
    bytes_done: done ? 100 * MiB : 0,
    files_total: 1,
    files_done: done ? 1 : 0,
    files_skipped: 0,
    rate: null,
    eta: null,
    created: 1,
    started: null,
    finished: null,
    bucket: 'datalake',
    destination: `users/ada/${id}.csv`,
    uri: `s3a://datalake/users/ada/${id}.csv`,
    ...more
  };
}
