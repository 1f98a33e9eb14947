/**
 * Sizes, states and dates, formatted the same way everywhere. Sizes in binary units (KiB, MiB,
 * GiB), because quotas on the platform are Kubernetes quantities (5Gi) and `du -h` speaks the
 * same units; dates as JupyterLab's file browser writes them.
 */
import { Time } from '@jupyterlab/coreutils';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Split a byte count into a value and a binary unit, e.g. 1536 → [1.5, 'KiB']. */
function scale(bytes: number): [number, string] {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return [value, UNITS[unit]];
}

function digits(value: number, unit: string): string {
  if (unit === 'B') {
    return String(Math.round(value));
  }
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

/** "3.2 GiB", "512 B", "17 MiB". */
export function formatBytes(bytes: number): string {
  const [value, unit] = scale(bytes);
  return `${digits(value, unit)} ${unit}`;
}

/**
 * A used/capacity pair as a status bar has room for, each figure exactly as `formatBytes`
 * writes it (so that it reads as the panel does), the unit said once when both share it:
 * "3.2 / 5.0 GiB", "303 MiB / 5.0 GiB".
 */
export function formatUsedOfCapacity(used: number, capacity: number): string {
  const [usedText, capacityText] = [formatBytes(used), formatBytes(capacity)];
  const unit = capacityText.split(' ')[1];
  return usedText.endsWith(` ${unit}`)
    ? `${usedText.split(' ')[0]} / ${capacityText}`
    : `${usedText} / ${capacityText}`;
}

export function formatPercent(percent: number): string {
  return percent < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

export type UsageLevel = 'normal' | 'warning' | 'critical';

export interface IThresholds {
  /** Percent of capacity from which usage is a warning. */
  warning: number;
  /** Percent of capacity from which usage is critical. */
  critical: number;
}

export const DEFAULT_THRESHOLDS: IThresholds = { warning: 80, critical: 95 };

/** The state a usage percentage is in; a threshold reached counts as crossed. */
export function usageLevel(
  percent: number,
  thresholds: IThresholds = DEFAULT_THRESHOLDS
): UsageLevel {
  if (percent >= thresholds.critical) {
    return 'critical';
  }
  if (percent >= thresholds.warning) {
    return 'warning';
  }
  return 'normal';
}

/** Seconds since a moment, rounded to what a person reads: "5 s", "3 min", "2 h". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min`;
  }
  return `${Math.floor(s / 3600)} h`;
}

/** A time left, to the second under an hour: "45 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const [big, small, units] =
    s < 3600
      ? [Math.floor(s / 60), s % 60, ['min', 's']]
      : [Math.floor(s / 3600), Math.floor((s % 3600) / 60), ['h', 'min']];
  return small > 0
    ? `${big} ${units[0]} ${small} ${units[1]}`
    : `${big} ${units[0]}`;
}

/** Bytes per second in the units sizes are shown in: "12 MiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * Drop folders that say nothing their own subfolder does not: `.local` and `.local/share`
 * when `.local/share/Trash` holds nearly all of both. What is left points at what to clean.
 */
export function condenseFolders<T extends { path: string; bytes: number }>(
  folders: T[],
  share = 0.9
): T[] {
  return folders.filter(
    folder =>
      !folders.some(
        other =>
          other.path.startsWith(folder.path + '/') &&
          other.bytes >= share * folder.bytes
      )
  );
}

/**
 * When an object of the lake was modified, as JupyterLab's file browser says it: relative
 * ("2 minutes ago", "yesterday") to read at a glance, in the `style` its column has room for
 * (see `dateStyle`), and the exact local date and time for a tooltip. A time a little ahead of
 * this machine's clock (another machine's) is "now", not "in 5 seconds".
 */
export function formatModified(
  seconds: number,
  style: Time.HumanStyle = 'narrow'
): { relative: string; exact: string } {
  const date = new Date(seconds * 1000);
  return {
    relative: Time.formatHuman(
      new Date(Math.min(date.getTime(), Date.now())),
      style
    ),
    exact: Time.format(date)
  };
}

/**
 * The relative date's style for a column this many pixels wide, by the file browser's rule:
 * "2m ago" under 100 px, "2 min. ago" up to 120, "2 minutes ago" beyond.
 */
export function dateStyle(width: number): Time.HumanStyle {
  return width < 100 ? 'narrow' : width > 120 ? 'long' : 'short';
}
