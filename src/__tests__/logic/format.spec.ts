import {
  condenseFolders,
  dateStyle,
  formatAge,
  formatBytes,
  formatDuration,
  formatModified,
  formatPercent,
  formatRate,
  formatUsedOfCapacity,
  usageLevel
} from '../../logic/format';

const GiB = 1024 ** 3;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 2, '5.0 MiB'],
    [17 * 1024 ** 2, '17 MiB'],
    [3.2 * GiB, '3.2 GiB'],
    [5 * GiB, '5.0 GiB'],
    [2 * 1024 ** 4, '2.0 TiB']
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('uses binary units, so 1000 bytes is still bytes', () => {
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
  });
});

describe('formatUsedOfCapacity', () => {
  it('writes each figure as formatBytes does, the unit once when shared', () => {
    expect(formatUsedOfCapacity(3.2 * GiB, 5 * GiB)).toBe('3.2 / 5.0 GiB');
    expect(formatUsedOfCapacity(12 * 1024 ** 2, 20 * 1024 ** 2)).toBe(
      '12 / 20 MiB'
    );
  });

  it('says 303 MiB where the panel does, not 0.3 GiB', () => {
    const used = 303 * 1024 ** 2;
    expect(formatUsedOfCapacity(used, 5 * GiB)).toBe('303 MiB / 5.0 GiB');
    expect(formatUsedOfCapacity(used, 5 * GiB)).toContain(formatBytes(used));
    expect(formatUsedOfCapacity(3.5 * 1024 ** 2, 5 * GiB)).toBe(
      '3.5 MiB / 5.0 GiB'
    );
  });
});

describe('usageLevel', () => {
  it('is normal below the warning threshold', () => {
    expect(usageLevel(79.9)).toBe('normal');
  });
  it('is a warning from 80% and critical from 95% by default', () => {
    expect(usageLevel(80)).toBe('warning');
    expect(usageLevel(94.99)).toBe('warning');
    expect(usageLevel(95)).toBe('critical');
    expect(usageLevel(130)).toBe('critical');
  });
  it('follows the thresholds the user set', () => {
    const thresholds = { warning: 50, critical: 70 };
    expect(usageLevel(49, thresholds)).toBe('normal');
    expect(usageLevel(50, thresholds)).toBe('warning');
    expect(usageLevel(70, thresholds)).toBe('critical');
  });
});

describe('formatPercent and formatAge', () => {
  it('keeps one decimal only for small percentages', () => {
    expect(formatPercent(3.14)).toBe('3.1%');
    expect(formatPercent(64.4)).toBe('64%');
  });
  it('reads like a person would say it', () => {
    expect(formatAge(4.6)).toBe('5 s');
    expect(formatAge(125)).toBe('2 min');
    expect(formatAge(7300)).toBe('2 h');
  });
});

describe('condenseFolders', () => {
  it('drops parents whose size is nearly all in one listed subfolder', () => {
    const folders = [
      { path: '.local', bytes: 1000 },
      { path: '.local/share', bytes: 990 },
      { path: '.local/share/Trash', bytes: 980 },
      { path: 'data', bytes: 900 },
      { path: 'data/raw', bytes: 500 },
      { path: 'database', bytes: 400 }
    ];
    expect(condenseFolders(folders).map(f => f.path)).toEqual([
      '.local/share/Trash',
      'data',
      'data/raw',
      'database'
    ]);
  });
});

describe('formatDuration and formatRate', () => {
  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [60, '1 min'],
    [185, '3 min 5 s'],
    [3600, '1 h'],
    [7800, '2 h 10 min'],
    [-3, '0 s']
  ])('%d seconds left is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('speaks of rates in the units of sizes', () => {
    expect(formatRate(12 * 1024 ** 2)).toBe('12 MiB/s');
    expect(formatRate(512)).toBe('512 B/s');
  });
});

describe('formatModified', () => {
  const now = Date.now() / 1000;
  const exact = (seconds: number) =>
    new Intl.DateTimeFormat('en', {
      dateStyle: 'short',
      timeStyle: 'short'
    }).format(new Date(seconds * 1000));

  it('says how long ago, as the file browser does, and the exact local time', () => {
    expect(formatModified(now - 3 * 60 - 10, 'long')).toEqual({
      relative: '3 minutes ago',
      exact: exact(now - 3 * 60 - 10)
    });
    expect(formatModified(now - 3 * 60 - 10).relative).toBe('3m ago');
    expect(formatModified(now - 30 * 3600, 'long').relative).toBe('yesterday');
    expect(formatModified(now - 400 * 86400, 'long').relative).toBe(
      'last year'
    );
  });

  it('says "now" of a time a little ahead of this clock, not "in 5 seconds"', () => {
    expect(formatModified(now + 5, 'long')).toEqual({
      relative: 'now',
      exact: exact(now + 5)
    });
  });

  it('is as long as the column has room for, by the file browser’s widths', () => {
    expect([56, 99, 100, 120, 121].map(dateStyle)).toEqual([
      'narrow',
      'narrow',
      'short',
      'short',
      'long'
    ]);
  });
});
