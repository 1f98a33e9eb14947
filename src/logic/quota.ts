import { TranslationBundle } from '@jupyterlab/translation';

import {
  formatBytes,
  formatPercent,
  IThresholds,
  UsageLevel,
  usageLevel
} from './format';

/** Levels in the order usage climbs through them; "over" is beyond 100% of the quota. */
export type QuotaLevel = UsageLevel | 'over';

const RANK: Record<QuotaLevel, number> = {
  normal: 0,
  warning: 1,
  critical: 2,
  over: 3
};

export function quotaLevel(
  percent: number,
  thresholds: IThresholds
): QuotaLevel {
  return percent > 100 ? 'over' : usageLevel(percent, thresholds);
}

/**
 * Decides when usage has crossed a threshold upwards, so that the user hears about it once per
 * crossing, not on every save: a level is announced when usage first reaches it, and can be
 * announced again only after usage has dropped below it.
 *
 * The first figure only sets the baseline: opening JupyterLab is not a crossing, and the
 * status bar already shows the level.
 */
export class ThresholdWatcher {
  /**
   * Feed a new usage percentage; returns the level to announce, or null.
   */
  update(percent: number, thresholds: IThresholds): QuotaLevel | null {
    const level = quotaLevel(percent, thresholds);
    if (this._announced === null) {
      this._announced = level;
      return null;
    }
    if (RANK[level] > RANK[this._announced]) {
      this._announced = level;
      return level;
    }
    if (RANK[level] < RANK[this._announced]) {
      // Re-arm: dropping below a threshold lets the next crossing be announced again.
      this._announced = level;
    }
    return null;
  }

  private _announced: QuotaLevel | null = null;
}

/** The sentence a notification says for a level just reached. */
export function quotaMessage(
  level: QuotaLevel,
  usage: { used: number; capacity: number; percent: number | null },
  trans: TranslationBundle
): string {
  const used = formatBytes(usage.used);
  const capacity = formatBytes(usage.capacity);
  const percent = formatPercent(usage.percent ?? 0);
  switch (level) {
    case 'over':
      return trans.__(
        'Your home is over its %1 quota by %2. The next saves may fail: free some space now.',
        capacity,
        formatBytes(usage.used - usage.capacity)
      );
    case 'critical':
      return trans.__(
        'Your home is almost full: %1 of %2 used (%3). Free space before saves start to fail.',
        used,
        capacity,
        percent
      );
    default:
      return trans.__(
        'Your home is %1 full: %2 of %3 used.',
        percent,
        used,
        capacity
      );
  }
}

/** What a save that failed for lack of space says: what happened, and how to fix it. */
export function diskFullMessage(
  path: string,
  reason: string,
  usage: { used: number; capacity: number },
  trans: TranslationBundle
): string {
  return trans.__(
    '%1 could not be saved: %2 (%3 of %4 used). Your changes are still open, not lost. ' +
      'Free space (empty the trash, delete or move large files), then save again.',
    path,
    reason === 'Disk quota exceeded'
      ? trans.__('your quota is full')
      : trans.__('your home is full'),
    formatBytes(usage.used),
    formatBytes(usage.capacity)
  );
}
