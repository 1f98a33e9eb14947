import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  formatBytes,
  formatDuration,
  formatModified,
  formatPercent,
  formatRate
} from '../../logic/format';
import { ITransfer } from '../../api/types';
import {
  directionWords,
  isActive,
  transferName,
  transferPercent
} from '../../logic/transfers';
import { TransfersModel } from '../../models/transfers';
import { ITransferActions } from '../actions';
import { Section } from '../common/Section';

export interface ITransfersSectionProps {
  model: TransfersModel;
  trans: TranslationBundle;
  actions: ITransferActions;
}

/** Transfers between home and the data lake: progress while they run, and what came of them. */
export function TransfersSection(props: ITransfersSectionProps): JSX.Element {
  const { model, trans, actions } = props;
  const transfers = model.value;
  const finished = model.transfers.filter(t => !isActive(t.state)).length;
  // Whether what finished uploads made is still in the lake, asked once each as it shows.
  React.useEffect(() => {
    void model.checkInLake(model.transfers);
  }, [transfers]);
  return (
    <Section
      id="transfers"
      title={trans.__('Transfers')}
      refreshTooltip={trans.__('Refresh transfers')}
      onRefresh={() => void model.refresh()}
      actions={
        <button
          className="jp-DataLake-linkButton jp-DataLake-clearTransfers"
          onClick={() => actions.clear()}
          disabled={finished === 0}
          aria-label={trans.__('Clear finished transfers')}
          title={trans.__('Take finished transfers off the list')}
        >
          {trans.__('Clear finished')}
        </button>
      }
    >
      {!transfers && model.error && (
        <p className="jp-DataLake-message">{model.error.message}</p>
      )}
      {!transfers && !model.error && (
        <p className="jp-DataLake-muted">{trans.__('Loading…')}</p>
      )}
      {transfers && transfers.length === 0 && (
        <p className="jp-DataLake-muted jp-DataLake-noTransfers">
          {trans.__(
            'No transfers yet. Right-click a file or folder and choose Send to data lake.'
          )}
        </p>
      )}
      {transfers && transfers.length > 0 && (
        <ul
          className="jp-DataLake-transferList"
          aria-label={trans.__('Transfers')}
        >
          {transfers.map(transfer => (
            <TransferRow
              key={transfer.id}
              transfer={transfer}
              trans={trans}
              actions={actions}
              gone={model.isGone(transfer.id)}
              check={() => model.checkInLake([transfer], true)}
            />
          ))}
        </ul>
      )}
    </Section>
  );
}

/** The state in words, in the direction the bytes go. */
function stateText(transfer: ITransfer, trans: TranslationBundle): string {
  const words = directionWords(transfer, trans);
  switch (transfer.state) {
    case 'queued':
      return trans.__('Waiting');
    case 'running':
      if (transfer.verifying) {
        return trans.__('Verifying…');
      }
      return words.running;
    case 'done':
      return words.done;
    case 'failed':
      return trans.__('Failed');
    default:
      return trans.__('Cancelled');
  }
}

function TransferRow(props: {
  transfer: ITransfer;
  trans: TranslationBundle;
  actions: ITransferActions;
  /** Whether what the upload made is gone from the lake: true, false, or not known. */
  gone: boolean | undefined;
  /** Ask the lake again; true when what the upload made is there (or nobody knows). */
  check: () => Promise<boolean>;
}): JSX.Element {
  const { transfer, trans, actions, gone, check } = props;
  const name = transferName(transfer, trans);
  const upload = transfer.direction === 'upload';
  const { state } = transfer;
  // Two sends of one file are told apart by when they started.
  const when = formatModified(transfer.started ?? transfer.created);
  const active = isActive(state) && !transfer.verifying;
  /** Copy what the upload made, unless the lake says it is gone by now. */
  const copy = (what: (t: ITransfer) => void) => () =>
    void check().then(there => there && what(transfer));
  return (
    <li
      className="jp-DataLake-transfer"
      data-state={state}
      data-verifying={transfer.verifying || undefined}
      data-gone={gone || undefined}
    >
      <div className="jp-DataLake-transferHead">
        <span
          className="jp-DataLake-transferName"
          title={transfer.sources.join('\n')}
        >
          {name}
        </span>
        <span className="jp-DataLake-transferState">
          {stateText(transfer, trans)}
          {' · '}
          <time
            className="jp-DataLake-transferWhen"
            dateTime={new Date(
              (transfer.started ?? transfer.created) * 1000
            ).toISOString()}
            title={trans.__('Started %1', when.exact)}
          >
            {when.relative}
          </time>
        </span>
      </div>
      <div className="jp-DataLake-transferWhere" title={transfer.uri}>
        <span className="jp-DataLake-transferArrow" aria-hidden="true">
          {upload ? '→' : '←'}
        </span>
        <span className="jp-DataLake-srOnly">
          {upload ? trans.__('to') : trans.__('from')}
        </span>
        <span className="jp-DataLake-transferUri">
          <bdi>{transfer.uri}</bdi>
        </span>
      </div>
      {isActive(state) && (
        <TransferProgress transfer={transfer} name={name} trans={trans} />
      )}
      {state === 'failed' && transfer.message && (
        <p className="jp-DataLake-transferMessage">{transfer.message}</p>
      )}
      {state === 'done' && upload && gone && (
        <p className="jp-DataLake-transferMessage jp-DataLake-transferGone">
          {trans.__('%1 is no longer in the data lake.', name)}
        </p>
      )}
      {state === 'done' && (
        <p className="jp-DataLake-muted jp-DataLake-transferSummary">
          {trans._n(
            '%1 file, %2',
            '%1 files, %2',
            transfer.files_done,
            formatBytes(transfer.bytes_done)
          )}
          {transfer.files_skipped > 0 &&
            ' · ' +
              trans._n(
                '%1 skipped, already there',
                '%1 skipped, already there',
                transfer.files_skipped
              )}
        </p>
      )}
      <div className="jp-DataLake-transferActions">
        {active && (
          <TransferButton
            className="jp-DataLake-transferCancel"
            text={trans.__('Cancel')}
            label={trans.__('Cancel transfer of %1', name)}
            onClick={() => actions.cancel(transfer)}
          />
        )}
        {(state === 'failed' || state === 'cancelled') &&
          // The server cannot read the user's computer again; only the user can.
          (transfer.origin === 'browser' ? (
            <span className="jp-DataLake-muted jp-DataLake-uploadAgain">
              {trans.__('Upload it again from your computer.')}
            </span>
          ) : (
            <TransferButton
              className="jp-DataLake-transferRetry"
              text={trans.__('Retry')}
              label={trans.__('Retry transfer of %1', name)}
              onClick={() => actions.retry(transfer)}
            />
          ))}
        {state === 'done' && !upload && (
          <TransferButton
            className="jp-DataLake-showDownload"
            text={trans.__('Show in file browser')}
            label={trans.__('Show %1 in the file browser', name)}
            onClick={() => actions.showInFileBrowser(transfer)}
          />
        )}
        {state === 'done' && upload && (
          <>
            <TransferButton
              className="jp-DataLake-copyUri"
              text={trans.__('Copy s3a:// URI')}
              label={trans.__('Copy the s3a:// URI of %1', name)}
              onClick={copy(actions.copyUri)}
              disabled={gone}
            />
            <TransferButton
              className="jp-DataLake-copySnippet"
              text={trans.__('Copy Python snippet')}
              label={trans.__('Copy Python code that reads %1', name)}
              onClick={copy(actions.copySnippet)}
              disabled={gone}
            />
            {actions.trinoTable && transfer.destination.endsWith('/') && (
              <TransferButton
                className="jp-DataLake-trinoTable"
                text={trans.__('Copy Trino table')}
                label={trans.__('Copy a Trino table over %1', name)}
                onClick={copy(t => actions.trinoTable?.(t))}
                disabled={gone}
              />
            )}
          </>
        )}
        {!isActive(state) && (
          <TransferButton
            className="jp-DataLake-transferRemove"
            text={trans.__('Remove')}
            label={trans.__('Remove transfer of %1 from the list', name)}
            onClick={() => actions.remove(transfer)}
          />
        )}
      </div>
    </li>
  );
}

function TransferButton(props: {
  className: string;
  text: string;
  label: string;
  onClick: () => void;
  disabled?: boolean;
}): JSX.Element {
  return (
    <button
      className={`jp-DataLake-linkButton ${props.className}`}
      onClick={props.onClick}
      aria-label={props.label}
      title={props.label}
      disabled={props.disabled}
    >
      {props.text}
    </button>
  );
}

function TransferProgress(props: {
  transfer: ITransfer;
  name: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { transfer, name, trans } = props;
  const percent = transferPercent(transfer);
  const details = [formatPercent(percent)];
  if (transfer.verifying) {
    details.push(trans.__('checking what was written'));
  }
  if (transfer.state === 'running' && transfer.rate !== null) {
    details.push(formatRate(transfer.rate));
  }
  if (transfer.state === 'running' && transfer.eta !== null) {
    details.push(trans.__('%1 left', formatDuration(transfer.eta)));
  }
  const sizes = trans.__(
    '%1 of %2',
    formatBytes(transfer.bytes_done),
    formatBytes(transfer.bytes_total)
  );
  return (
    <>
      <div
        className="jp-DataLake-bar jp-DataLake-transferProgress"
        role="progressbar"
        aria-label={trans.__('Transfer of %1', name)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={`${formatPercent(percent)}, ${sizes}`}
      >
        <div className="jp-DataLake-barFill" style={{ width: `${percent}%` }} />
      </div>
      <p className="jp-DataLake-muted jp-DataLake-transferDetails">
        {details.join(' · ')}
        {' · '}
        {sizes}
      </p>
    </>
  );
}
