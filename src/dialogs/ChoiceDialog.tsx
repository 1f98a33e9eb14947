/**
 * The framework the transfer dialogs share: a dialog body whose form reports the user's choice
 * as it changes, the server's plan asked again as the destination changes, the choice of what to
 * do with clashes, and the preview of where each file would go. The "Send to data lake" and the
 * "Download to home" dialogs are each a form built from these.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ConflictPolicy, ITransferItem, ITransferPlan } from '../api/types';
import { formatBytes } from '../logic/format';
import { keptBothAs } from '../logic/transfers';

/** How many destination keys the preview lists before "and N more". */
const PREVIEW_KEYS = 20;

/** How long typing must pause before the destination is planned again. */
const PLAN_DELAY_MS = 300;

/** A dialog body whose form reports the choice as it changes; the dialog reads it on accept. */
export abstract class ChoiceDialog<
  O extends ChoiceDialog.IOptions<T>,
  T
> extends ReactWidget {
  constructor(options: O, value: T) {
    super();
    this.options = options;
    this._value = value;
  }

  /** The choice when the dialog is accepted. */
  getValue(): T {
    return this._value;
  }

  protected readonly options: O;

  /** For the form: the choice it shows now. */
  protected readonly setValue = (value: T): void => {
    this._value = value;
  };

  private _value: T;
}

export namespace ChoiceDialog {
  export interface IOptions<T> {
    trans: TranslationBundle;
    /** The choice to start from, when the dialog is shown again. */
    initial?: Partial<T>;
    /** Why the dialog is shown again, e.g. a clash that appeared meanwhile. */
    notice?: string;
  }
}

export type PlanState =
  | { phase: 'planning' }
  | { phase: 'planned'; plan: ITransferPlan }
  | { phase: 'failed'; message: string };

/**
 * The server's plan, asked again on every change of destination: at once on opening and when
 * `picked` (chosen with one click) changes, after a pause while `typed` is being typed. Only
 * the newest answer is shown.
 */
export function usePlan(
  plan: () => Promise<ITransferPlan>,
  typed: string,
  picked = ''
): PlanState {
  const [planned, setPlanned] = React.useState<PlanState>({
    phase: 'planning'
  });
  const lastPicked = React.useRef<string | null>(null);
  React.useEffect(() => {
    let current = true;
    setPlanned({ phase: 'planning' });
    const delay = lastPicked.current === picked ? PLAN_DELAY_MS : 0;
    lastPicked.current = picked;
    const timer = window.setTimeout(() => {
      plan()
        .then(
          result => current && setPlanned({ phase: 'planned', plan: result })
        )
        .catch(
          error =>
            current &&
            setPlanned({ phase: 'failed', message: String(error.message) })
        );
    }, delay);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [typed, picked]);
  return planned;
}

/**
 * What to do with clashes: the policy picked (keeping both, to start with), and the one to
 * ask for, which is 'ask' unless the plan now shown has clashes: a policy applies only to the
 * clashes the user saw, for the destination shown.
 */
export function useConflict(
  initial: ConflictPolicy | undefined,
  planned: PlanState
): {
  policy: ConflictPolicy;
  setPolicy: (policy: ConflictPolicy) => void;
  /** The plan's files that exist already at the destination. */
  clashes: ITransferItem[];
  conflict: ConflictPolicy;
} {
  const [policy, setPolicy] = React.useState<ConflictPolicy>(
    initial && initial !== 'ask' ? initial : 'rename'
  );
  const clashes =
    planned.phase === 'planned'
      ? planned.plan.items.filter(item => item.exists)
      : [];
  const conflict = clashes.length > 0 ? policy : 'ask';
  return { policy, setPolicy, clashes, conflict };
}

/** What to do with what exists already at the destination, once the plan found some. */
export function ClashChoice(props: {
  clashes: ITransferItem[];
  /** Where they exist, as it reads after "in". */
  where: string;
  /** Groups the radio buttons; unique in the page. */
  name: string;
  policy: ConflictPolicy;
  onChange: (policy: ConflictPolicy) => void;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { clashes, trans } = props;
  if (clashes.length === 0) {
    return null;
  }
  // The new names before the user picks them, as the server planned them.
  const names = keptBothAs(clashes);
  const keepBoth =
    names.length === 0
      ? trans.__('Keep both (rename)')
      : names.length === 1
        ? trans.__('Keep both, the new one as %1', names[0])
        : trans._n(
            'Keep both, the new ones as %2 and %1 more',
            'Keep both, the new ones as %2 and %1 more',
            names.length - 1,
            names[0]
          );
  return (
    <Choice
      className="jp-DataLake-conflicts"
      legend={trans._n(
        '%1 of these exists already in %2. What should happen to it?',
        '%1 of these exist already in %2. What should happen to them?',
        clashes.length,
        props.where
      )}
      name={props.name}
      options={[
        ['overwrite', trans.__('Overwrite')],
        ['rename', keepBoth],
        ['skip', trans.__('Skip existing')]
      ]}
      value={props.policy}
      onChange={props.onChange}
    />
  );
}

/** Why a dialog is shown again, when it is. */
export function Notice(props: { text?: string }): JSX.Element | null {
  return props.text ? (
    <p className="jp-DataLake-warning jp-DataLake-sendNotice">{props.text}</p>
  ) : null;
}

/** A set of radio buttons. */
export function Choice<T extends string>(props: {
  legend: string;
  /** Groups the radio buttons; unique in the page. */
  name: string;
  options: [T, React.ReactNode][];
  value: T;
  onChange: (value: T) => void;
  className?: string;
}): JSX.Element {
  return (
    <fieldset className={`jp-DataLake-choice ${props.className ?? ''}`}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label key={value}>
          <input
            type="radio"
            name={props.name}
            value={value}
            checked={props.value === value}
            onChange={() => props.onChange(value)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

/** Where the files would go, first few only, with the clashes marked. */
export function PlanPreview(props: {
  planned: PlanState;
  trans: TranslationBundle;
  /** Names the list of destinations for screen readers. */
  label?: string;
}): JSX.Element {
  const { planned, trans } = props;
  if (planned.phase === 'planning') {
    return <p className="jp-DataLake-muted">{trans.__('Planning…')}</p>;
  }
  if (planned.phase === 'failed') {
    return <p className="jp-DataLake-transferMessage">{planned.message}</p>;
  }
  const { plan } = planned;
  // Clashes first, so that the preview shows them however many files there are.
  const items = [...plan.items].sort(
    (a, b) => Number(b.exists) - Number(a.exists)
  );
  const more = items.length - PREVIEW_KEYS;
  return (
    <div className="jp-DataLake-plan">
      <p className="jp-DataLake-muted">
        {/* The files' own sizes, what a transfer moves; the Storage panel says space on
            disk, and labels it so. */}
        {trans._n(
          '%1 file, %2 file size:',
          '%1 files, %2 file size:',
          plan.files_total,
          formatBytes(plan.bytes_total)
        )}
      </p>
      <ul aria-label={props.label ?? trans.__('Destination keys')}>
        {items.slice(0, PREVIEW_KEYS).map(item => (
          <li
            key={item.destination}
            className={item.exists ? 'jp-DataLake-clash' : undefined}
            title={item.source}
          >
            <bdi>{item.destination}</bdi>
            {item.exists && (
              <span className="jp-DataLake-clashMark">
                {' '}
                {trans.__('(exists)')}
              </span>
            )}
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p className="jp-DataLake-muted">{trans.__('and %1 more', more)}</p>
      )}
    </div>
  );
}
