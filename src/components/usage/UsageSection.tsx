import { TranslationBundle } from '@jupyterlab/translation';
import { deleteIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  condenseFolders,
  formatAge,
  formatBytes,
  formatPercent
} from '../../logic/format';
import { HomePathKind, homePathKind } from '../../logic/homePaths';
import { UsageModel } from '../../models/usage';
import { IHomeActions } from '../actions';
import { IUsage, IUsageEntry } from '../../api/types';
import { EntryRow } from '../common/EntryRow';
import { Section } from '../common/Section';

export interface IUsageSectionProps {
  model: UsageModel;
  trans: TranslationBundle;
  /** What the rows' buttons run: show in the file browser, empty the trash, send. */
  actions: IHomeActions;
  /** Seconds since the epoch, for "updated N s ago"; re-rendered by the panel's clock. */
  now: number;
}

/** Home usage against the quota: the bar, the figures, the largest items and the trash. */
export function UsageSection(props: IUsageSectionProps): JSX.Element {
  const { model, trans } = props;
  const usage = model.usage;
  return (
    <Section
      id="usage"
      title={trans.__('Home')}
      refreshTooltip={trans.__('Scan home again')}
      onRefresh={() => void model.rescan()}
      refreshEnabled={!model.isRescanning}
    >
      {usage ? (
        <UsageFigures {...props} usage={usage} />
      ) : model.error ? (
        <p className="jp-DataLake-message">{model.error.message}</p>
      ) : (
        <p className="jp-DataLake-muted">{trans.__('Measuring home…')}</p>
      )}
    </Section>
  );
}

function UsageFigures(props: IUsageSectionProps & { usage: IUsage }) {
  const { usage, model, trans, now } = props;
  const level = model.level ?? 'normal';
  const percent = usage.percent ?? 0;
  const ageSeconds = now - Math.max(usage.scanned_at, usage.updated_at);
  return (
    <>
      <div
        className={`jp-DataLake-usageFigure jp-DataLake-level-${level}`}
        data-level={level}
      >
        <span className="jp-DataLake-used" data-bytes={usage.used}>
          {formatBytes(usage.used)}
        </span>{' '}
        <span className="jp-DataLake-muted">
          {trans.__('of %1', formatBytes(usage.capacity))}
        </span>
        <span className="jp-DataLake-percent">{formatPercent(percent)}</span>
      </div>
      <div
        className={`jp-DataLake-bar jp-DataLake-level-${level}`}
        role="meter"
        aria-label={trans.__('Home usage')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={trans.__(
          '%1 of %2 used',
          formatBytes(usage.used),
          formatBytes(usage.capacity)
        )}
      >
        <div
          className="jp-DataLake-barFill"
          style={{ width: `${Math.min(100, percent)}%` }}
        />
      </div>
      <p className="jp-DataLake-muted jp-DataLake-usageMeta">
        {usage.capacity_source === 'quota'
          ? trans.__('Quota %1', formatBytes(usage.capacity))
          : trans.__(
              'Volume size %1 (no quota configured)',
              formatBytes(usage.capacity)
            )}
        {' · '}
        {trans.__('%1 free on the volume', formatBytes(usage.volume.free))}
        {' · '}
        <span className="jp-DataLake-updated">
          {usage.refreshing
            ? trans.__('rescanning…')
            : trans.__('updated %1 ago', formatAge(ageSeconds))}
        </span>
      </p>
      {usage.unreadable_count > 0 && (
        <p className="jp-DataLake-warning">
          {trans._n(
            '%1 folder could not be read and is not counted: %2',
            '%1 folders could not be read and are not counted: %2',
            usage.unreadable_count,
            usage.unreadable.slice(0, 3).join(', ')
          )}
        </p>
      )}
      <TrashRow {...props} usage={usage} />
      <EntryList
        title={trans.__('Largest folders')}
        entries={condenseFolders(usage.largest_dirs)}
        isFolder={true}
        {...props}
      />
      <div className="jp-DataLake-largestFiles">
        {fileGroups(usage.largest_files, trans).map(group => (
          <EntryList
            key={group.title}
            title={group.title}
            note={group.note}
            entries={group.entries}
            isFolder={false}
            {...props}
          />
        ))}
      </div>
    </>
  );
}

/**
 * The largest files, with checkpoints and the trash apart: hidden, and not the user's own
 * files in the usual sense, they would otherwise read as bare dot-paths.
 */
function fileGroups(
  files: IUsageEntry[],
  trans: TranslationBundle
): { title: string; note?: string; entries: IUsageEntry[] }[] {
  const of = (kinds: HomePathKind['kind'][]) =>
    files.filter(entry => kinds.includes(homePathKind(entry.path).kind));
  return [
    {
      title: trans.__('Largest files'),
      entries: of(['plain', 'hidden'])
    },
    {
      title: trans.__('Notebook checkpoints'),
      note: trans.__("JupyterLab's copies as last saved"),
      entries: of(['checkpoint', 'checkpoints'])
    },
    {
      title: trans.__('In the trash'),
      note: trans.__('deleted, still counted'),
      entries: of(['trash'])
    }
  ];
}

/** What a row shows: what the path is, when the path itself does not say it plainly. */
function entryLabel(
  path: string,
  trans: TranslationBundle
): string | undefined {
  const kind = homePathKind(path);
  switch (kind.kind) {
    case 'checkpoint':
      return trans.__('Notebook checkpoint of %1', kind.of);
    case 'checkpoints':
      return kind.in
        ? trans.__('Notebook checkpoints in %1', kind.in)
        : trans.__('Notebook checkpoints');
    case 'trash':
      return kind.name
        ? trans.__('In the trash: %1', kind.name)
        : trans.__('Trash');
    default:
      return undefined;
  }
}

/**
 * Both figures of an entry, named: the panel's is space on disk (what the quota counts), a
 * transfer's the size of the files (what the Send dialog shows).
 */
function sizeTitle(
  entry: IUsageEntry,
  isFolder: boolean,
  trans: TranslationBundle
): string {
  return isFolder
    ? trans._n(
        '%2 on disk, counted against your quota; its %1 file comes to %3',
        '%2 on disk, counted against your quota; its %1 files come to %3',
        entry.files,
        formatBytes(entry.bytes),
        formatBytes(entry.apparent)
      )
    : trans.__(
        '%1 on disk, counted against your quota; the file is %2',
        formatBytes(entry.bytes),
        formatBytes(entry.apparent)
      );
}

function TrashRow(props: IUsageSectionProps & { usage: IUsage }) {
  const { usage, trans } = props;
  const { items, bytes } = usage.trash;
  // `files` counts each item's .trashinfo sidecar too: only `items` is what the user trashed.
  const empty = (items ?? usage.trash.files) === 0;
  return (
    <div className="jp-DataLake-trash">
      <deleteIcon.react tag="span" className="jp-DataLake-entryIcon" />
      <span className="jp-DataLake-trashText">
        {empty
          ? trans.__('Trash is empty')
          : items === undefined
            ? trans.__(
                'Trash: %1 on disk, still counted in home',
                formatBytes(bytes)
              )
            : trans._n(
                'Trash: %1 item, %2 on disk, still counted in home',
                'Trash: %1 items, %2 on disk, still counted in home',
                items,
                formatBytes(bytes)
              )}
      </span>
      {!empty && (
        <button
          className="jp-mod-styled jp-mod-warn jp-DataLake-emptyTrash"
          onClick={() => props.actions.emptyTrash()}
        >
          {trans.__('Empty trash')}
        </button>
      )}
    </div>
  );
}

function EntryList(
  props: IUsageSectionProps & {
    title: string;
    /** What the list is, after its title. */
    note?: string;
    entries: IUsageEntry[];
    isFolder: boolean;
  }
) {
  const { title, note, entries, isFolder, trans, actions } = props;
  if (entries.length === 0) {
    return null;
  }
  // The data lake takes file browser paths; a home the file browser does not show has none.
  const send =
    props.model.usage?.home_in_contents === null
      ? undefined
      : (path: string) => actions.sendFromHome(path);
  return (
    <div className="jp-DataLake-entries">
      <h4>
        {title}{' '}
        <span className="jp-DataLake-muted">
          · {note ?? trans.__('on disk')}
        </span>
      </h4>
      <ul aria-label={title}>
        {entries.map(entry => (
          <EntryRow
            key={entry.path}
            path={entry.path}
            label={entryLabel(entry.path, trans)}
            bytes={entry.bytes}
            sizeTitle={sizeTitle(entry, isFolder, trans)}
            isFolder={isFolder}
            action={{
              text: trans.__('Show'),
              title: trans.__('Show in file browser'),
              ariaLabel: trans.__('Show %1 in file browser', entry.path),
              onClick: () => actions.showInFileBrowser(entry.path)
            }}
            sendToLake={send && { trans, onSend: send }}
          />
        ))}
      </ul>
    </div>
  );
}
