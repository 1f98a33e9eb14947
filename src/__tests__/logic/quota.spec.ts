import { nullTranslator } from '@jupyterlab/translation';

import {
  diskFullMessage,
  quotaMessage,
  ThresholdWatcher
} from '../../logic/quota';

const DEFAULTS = { warning: 80, critical: 95 };

describe('ThresholdWatcher', () => {
  it('takes the first figure as the baseline, even when it is high', () => {
    const watcher = new ThresholdWatcher();
    expect(watcher.update(90, DEFAULTS)).toBeNull();
    expect(watcher.update(91, DEFAULTS)).toBeNull();
  });

  it('announces each upward crossing once', () => {
    const watcher = new ThresholdWatcher();
    expect(watcher.update(50, DEFAULTS)).toBeNull();
    expect(watcher.update(80.5, DEFAULTS)).toBe('warning');
    expect(watcher.update(81, DEFAULTS)).toBeNull();
    expect(watcher.update(85, DEFAULTS)).toBeNull();
    expect(watcher.update(95, DEFAULTS)).toBe('critical');
    expect(watcher.update(99, DEFAULTS)).toBeNull();
    expect(watcher.update(100.2, DEFAULTS)).toBe('over');
    expect(watcher.update(103, DEFAULTS)).toBeNull();
  });

  it('announces again after usage dropped below the threshold: up, down, up', () => {
    const watcher = new ThresholdWatcher();
    watcher.update(70, DEFAULTS);
    expect(watcher.update(82, DEFAULTS)).toBe('warning');
    expect(watcher.update(60, DEFAULTS)).toBeNull();
    expect(watcher.update(83, DEFAULTS)).toBe('warning');
  });

  it('a jump across two thresholds announces the higher one only', () => {
    const watcher = new ThresholdWatcher();
    watcher.update(10, DEFAULTS);
    expect(watcher.update(97, DEFAULTS)).toBe('critical');
  });

  it('follows the thresholds from the settings', () => {
    const watcher = new ThresholdWatcher();
    const strict = { warning: 50, critical: 60 };
    watcher.update(40, strict);
    expect(watcher.update(55, strict)).toBe('warning');
    expect(watcher.update(65, strict)).toBe('critical');
  });

  it('dropping from critical to warning re-arms critical but not warning', () => {
    const watcher = new ThresholdWatcher();
    watcher.update(10, DEFAULTS);
    watcher.update(96, DEFAULTS);
    expect(watcher.update(90, DEFAULTS)).toBeNull();
    expect(watcher.update(96, DEFAULTS)).toBe('critical');
  });
});

describe('messages', () => {
  const trans = nullTranslator.load('jupyterlab_datalake');
  const MiB = 1024 ** 2;

  it('says how full home is at the warning level', () => {
    expect(
      quotaMessage(
        'warning',
        { used: 17 * MiB, capacity: 20 * MiB, percent: 85 },
        trans
      )
    ).toBe('Your home is 85% full: 17 MiB of 20 MiB used.');
  });

  it('says by how much the quota is exceeded and that saves may fail', () => {
    const text = quotaMessage(
      'over',
      { used: 22 * MiB, capacity: 20 * MiB, percent: 110 },
      trans
    );
    expect(text).toContain('over its 20 MiB quota by 2.0 MiB');
    expect(text).toContain('The next saves may fail');
  });

  it('explains a full disk, that nothing is lost, and how to fix it', () => {
    const text = diskFullMessage(
      'notebooks/a.ipynb',
      'No space left on device',
      { used: 20 * MiB, capacity: 20 * MiB },
      trans
    );
    expect(text).toContain(
      'notebooks/a.ipynb could not be saved: your home is full'
    );
    expect(text).toContain('20 MiB of 20 MiB used');
    expect(text).toContain('not lost');
    expect(text).toContain('empty the trash');
  });
});
