import * as React from 'react';

import {
  Area,
  ConflictPolicy,
  ITransferPlan,
  ITransferRequest
} from '../api/types';
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
 * that exist already. It shows where each file would go, as the server plans it.
 */
export class SendDialog extends ChoiceDialog<
  SendDialog.IOptions,
  SendDialog.IValue
> {
  constructor(options: SendDialog.IOptions) {
    super(options, {
      area: options.initial?.area ?? 'mine',
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
    bucket: string;
    /** Key prefixes of the two areas. */
    areas: Record<Area, string>;
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

function SendForm(
  props: SendDialog.IOptions & { onChange: (value: SendDialog.IValue) => void }
): JSX.Element {
  const { sources, bucket, areas, trans, initial, onChange } = props;
  const [area, setArea] = React.useState<Area>(initial?.area ?? 'mine');
  const [text, setText] = React.useState(initial?.prefix ?? '');
  const prefix = normalizePrefix(text);
  const planned = usePlan(
    () => props.plan({ sources, area, prefix, conflict: 'ask' }),
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
        options={(['mine', 'shared'] as Area[]).map(value => [
          value,
          <>
            {value === 'mine' ? trans.__('My area') : trans.__('Shared')}{' '}
            <code className="jp-DataLake-muted">{areas[value]}</code>
          </>
        ])}
        value={area}
        onChange={setArea}
      />
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
      <p className="jp-DataLake-sendInto">
        {trans.__('Into')}{' '}
        <code>{s3aUri(bucket, joinKey(areas[area], prefix))}</code>
      </p>
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
