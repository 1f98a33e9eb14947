import { Clipboard, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { copyUri } from '../../commands/actions';
import { transient } from '../../notifications/transient';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('a copy confirmation', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    Notification.manager.dismiss();
    // jsdom has no selection to copy from; what the clipboard receives is not the point here.
    jest.spyOn(Clipboard, 'copyToSystem').mockImplementation(() => undefined);
  });
  afterEach(() => jest.useRealTimers());

  it('shows, then leaves the notification centre by itself', () => {
    transient('Copied s3a://datalake/shared/a.csv');
    expect(Notification.manager.notifications.map(n => n.message)).toEqual([
      'Copied s3a://datalake/shared/a.csv'
    ]);
    jest.advanceTimersByTime(3000);
    expect(Notification.manager.count).toBe(0);
  });

  it('does not pile up when the user copies many times', () => {
    for (let i = 0; i < 5; i++) {
      copyUri(`s3a://datalake/shared/${i}.csv`, trans);
      jest.advanceTimersByTime(3000);
    }
    expect(Notification.manager.count).toBe(0);
  });
});
