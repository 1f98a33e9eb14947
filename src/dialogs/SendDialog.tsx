import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  Area,
  ConflictPolicy,
  IArea,
  ITransferPlan,
  ITransferRequest
} from '../api/types';
import { isWritable, startArea, writeRefusal } from '../logic/areas';
import { joinKey, normalizePrefix } from '../logic/keys';
import { s3aUri } from '../logic/snippets';
import {
  Choice,
  ChoiceDialog,
  ClashChoice,
  Notice,
  PlanPreview,
  useConflict,
  usePlan
} from './ChoiceDialog';

/**
 * The body of the "Send to data lake" dialog: where in the lake, and what to do about objects
 * that exist already. It shows where each file would go, as the server plans it. It offers the
 * configured areas the user may write to, first of them by default, and says why the others
 * are not offered.
 */
export class SendDialog extends ChoiceDialog<
  SendDialog.IOptions,
  SendDialog.IValue
> {
  constructor(options: SendDialog.IOptions) {
    super(options, {
      area: firstArea(options.areas, options.initial?.area),
      prefix: options.initial?.prefix ?? '',
      conflict: 'ask'
    });
    this.addClass('jp-DataLake-sendDialog');
  }

  render(): JSX.Element {
    return <SendForm {...this.options} onChange={this.setValue} />;
  }
}

export namespace SendDialog {
  export interface IOptions extends ChoiceDialog.IOptions<IValue> {
    /** File browser paths, or absolute paths, of what is sent. */
    sources: string[];
    /** The configured areas, as the status lists them; only the writable ones are offered. */
    areas: readonly IArea[];
    plan: (request: ITransferRequest) => Promise<ITransferPlan>;
  }

  export interface IValue {
    area: Area;
    /** Sub-folder inside the area, normalised; "" for its top. */
    prefix: string;
    /** 'ask' unless the plan showed clashes and the user chose what to do with them. */
    conflict: ConflictPolicy;
  }
}

/** The area the dialog starts at: the one chosen before if writable, else the first writable. */
function firstArea(areas: readonly IArea[], initial?: Area): Area {
  const area = startArea(areas, isWritable, initial);
  return area && isWritable(area) ? area.id : '';
}

function SendForm(
  props: SendDialog.IOptions & { onChange: (value: SendDialog.IValue) => void }
): JSX.Element {
  const { sources, areas, trans, initial, onChange } = props;
  const offered = areas.filter(isWritable);
  const [area, setArea] = React.useState<Area>(() =>
    firstArea(areas, initial?.area)
  );
  const chosen = offered.find(a => a.id === area);
  const [text, setText] = React.useState(initial?.prefix ?? '');
  const prefix = normalizePrefix(text);
  const planned = usePlan(
    () =>
      chosen
        ? props.plan({ sources, area, prefix, conflict: 'ask' })
        : Promise.reject(
            new Error(
              trans.__('You may not write to any area of the data lake.')
            )
          ),
    prefix,
    area
  );
  const { policy, setPolicy, clashes, conflict } = useConflict(
    initial?.conflict,
    planned
  );
  React.useEffect(() => {
    onChange({ area, prefix, conflict });
  }, [area, prefix, conflict]);

  return (
    <div className="jp-DataLake-sendForm">
      <Notice text={props.notice} />
      <Choice
        legend={trans.__('Where in the data lake')}
        name="jp-DataLake-area"
        options={offered.map(choice => [
          choice.id,
          <>
            {choice.title}{' '}
            <code className="jp-DataLake-muted" title={choice.uri}>
              {choice.prefix}
            </code>
          </>
        ])}
        value={area}
        onChange={setArea}
      />
      <NotOffered areas={areas} trans={trans} />
      <label className="jp-DataLake-prefix">
        {trans.__('Sub-folder (optional)')}
        <input
          type="text"
          className="jp-mod-styled"
          value={text}
          placeholder={trans.__('e.g. projects/sales')}
          onChange={event => setText(event.target.value)}
        />
      </label>
      {chosen && (
        <p className="jp-DataLake-sendInto">
          {trans.__('Into')}{' '}
          <code>{s3aUri(chosen.bucket, joinKey(chosen.prefix, prefix))}</code>
        </p>
      )}
      <PlanPreview planned={planned} trans={trans} />
      <ClashChoice
        clashes={clashes}
        where={trans.__('the data lake')}
        name="jp-DataLake-conflict"
        policy={policy}
        onChange={setPolicy}
        trans={trans}
      />
    </div>
  );
}

/** The areas the user may not send to, and why: an area does not vanish without a word. */
function NotOffered(props: {
  areas: readonly IArea[];
  trans: TranslationBundle;
}): JSX.Element | null {
  const { trans } = props;
  const missing = props.areas.filter(area => !isWritable(area));
  if (missing.length === 0) {
    return null;
  }
  return (
    <ul
      className="jp-DataLake-notOffered"
      aria-label={trans.__('Areas you cannot send to')}
    >
      {missing.map(area => (
        <li key={area.id} data-area={area.id}>
          {trans.__(
            '%1 is not offered: %2',
            area.title,
            writeRefusal(area, trans) ?? ''
          )}
        </li>
      ))}
    </ul>
  );
}
