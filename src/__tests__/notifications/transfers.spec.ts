import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { ITransfer } from '../../api/types';
import { ITransferActions } from '../../components/actions';
import { TransfersModel } from '../../models/transfers';
import { TransferNotifier } from '../../notifications/transfers';
import { transfer } from '../fixtures/transfers';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('TransferNotifier', () => {
  const started = new Signal<unknown, ITransfer>({});
  const finished = new Signal<unknown, ITransfer>({});
  const shown: ITransfer[] = [];
  const actions = {
    retry: jest.fn(),
    showTransfers: jest.fn(),
    showInFileBrowser: (t: ITransfer) => shown.push(t)
  } as unknown as ITransferActions;
  new TransferNotifier(
    { started, finished } as unknown as TransfersModel,
    trans,
    actions
  );
  afterEach(() => Notification.dismiss());

  /** The notification centre's entries. */
  const centre = () =>
    Notification.manager.notifications.map(n => [n.type, n.message]);

  it('says a send started, then how it ended in the same notification', () => {
    started.emit(transfer('s', 'queued'));
    expect(centre()).toEqual([
      ['in-progress', 'Sending s.csv to the data lake…']
    ]);
    finished.emit(transfer('s', 'done'));
    expect(centre()).toEqual([
      ['success', 'Sent s.csv to the data lake: s3a://datalake/users/ada/s.csv']
    ]);
    const [entry] = Notification.manager.notifications;
    expect(entry.options.actions?.map(a => a.label)).toEqual([
      'Copy s3a:// URI',
      'Copy Python snippet'
    ]);
  });

  it('says a move and a copy inside the lake as such, not as a send', () => {
    const move = {
      direction: 'move' as const,
      sources: ['shared/old/m.csv'],
      uri: 's3a://datalake/shared/new/m.csv'
    };
    started.emit(transfer('m', 'queued', move));
    expect(centre()).toEqual([
      ['in-progress', 'Moving m.csv in the data lake…']
    ]);
    finished.emit(transfer('m', 'done', move));
    expect(centre()).toEqual([
      ['success', 'Moved m.csv to s3a://datalake/shared/new/m.csv']
    ]);
    Notification.dismiss();
    const copy = { ...move, direction: 'copy' as const };
    started.emit(transfer('k', 'queued', copy));
    finished.emit(
      transfer('k', 'failed', { ...copy, message: 'S3 refused it.' })
    );
    expect(centre()).toEqual([
      ['error', 'm.csv was not copied: S3 refused it.']
    ]);
  });

  it('turns the word that a transfer started into the cancel, and a failure in place', () => {
    started.emit(transfer('c', 'running'));
    finished.emit(
      transfer('c', 'cancelled', {
        message: 'Cancelled; nothing partial was left in the data lake.'
      })
    );
    started.emit(
      transfer('f', 'queued', {
        direction: 'download',
        sources: ['shared/f.csv'],
        destination: 'work/f.csv'
      })
    );
    expect(centre()).toEqual([
      ['in-progress', 'Downloading f.csv into /work…'],
      ['info', 'c.csv: Cancelled; nothing partial was left in the data lake.']
    ]);
    finished.emit(
      transfer('f', 'failed', {
        direction: 'download',
        sources: ['shared/f.csv'],
        destination: 'work/f.csv',
        message: 'Not enough space in your home.'
      })
    );
    expect(centre()).toEqual([
      ['error', 'f.csv was not downloaded: Not enough space in your home.'],
      ['info', 'c.csv: Cancelled; nothing partial was left in the data lake.']
    ]);
  });

  it('keeps one notification for a transfer retried, in place of its failure', () => {
    started.emit(transfer('r', 'queued'));
    finished.emit(transfer('r', 'failed'));
    started.emit(transfer('r', 'queued'));
    expect(centre()).toEqual([
      ['in-progress', 'Sending r.csv to the data lake…']
    ]);
  });

  function told(level: 'success' | 'error', what: ITransfer) {
    const spy = jest.spyOn(Notification, 'emit').mockReturnValue('id');
    finished.emit(what);
    expect(spy).toHaveBeenCalledTimes(1);
    const [message, type, options] = spy.mock.calls[0];
    expect(type).toBe(level);
    spy.mockRestore();
    return {
      message,
      labels: (options?.actions ?? []).map(a => a.label),
      click: (label: string) =>
        options?.actions
          ?.find(a => a.label === label)
          ?.callback(new MouseEvent('click'))
    };
  }

  it('says where a download went, and shows it in the file browser', () => {
    const download = transfer('d', 'done', {
      direction: 'download',
      sources: ['shared/q3/sales.csv'],
      destination: 'work/sales.csv'
    });
    const { message, labels, click } = told('success', download);
    expect(message).toBe('Downloaded sales.csv into /work');
    expect(labels).toEqual(['Show in file browser']);
    click('Show in file browser');
    expect(shown).toEqual([download]);
  });

  it('keeps its words for uploads', () => {
    const { message } = told('success', transfer('u', 'done'));
    expect(message).toBe(
      'Sent u.csv to the data lake: s3a://datalake/users/ada/u.csv'
    );
  });

  it('offers no Retry for an upload from the computer, which only the user can redo', () => {
    const fromHome = told('error', transfer('h', 'failed'));
    expect(fromHome.labels).toEqual(['Retry', 'Show transfers']);
    const fromBrowser = told(
      'error',
      transfer('b', 'failed', { origin: 'browser' })
    );
    expect(fromBrowser.labels).toEqual(['Show transfers']);
    const download = told(
      'error',
      transfer('d', 'failed', {
        direction: 'download',
        message: 'Not enough space in your home.'
      })
    );
    expect(download.message).toBe(
      'd.csv was not downloaded: Not enough space in your home.'
    );
  });
});
