import * as React from 'react';

import { ConflictPolicy, ITransferPlan } from '../api/types';
import { normalizePrefix } from '../logic/keys';
import {
  ChoiceDialog,
  ClashChoice,
  Notice,
  PlanPreview,
  useConflict,
  usePlan
} from './ChoiceDialog';

/**
 * The body of the "Download to home" dialog: the folder of the file browser to download
 * into, where each file would land as the server plans it, and what to do with files that
 * exist there already. A plan the server refuses (not enough space, a folder outside home)
 * shows its reason here, before anything starts.
 */
export class DownloadDialog extends ChoiceDialog<
  DownloadDialog.IOptions,
  DownloadDialog.IValue
> {
  constructor(options: DownloadDialog.IOptions) {
    super(options, {
      destination: normalizePrefix(options.initial?.destination ?? ''),
      conflict: 'ask'
    });
    this.addClass('jp-DataLake-downloadDialog');
  }

  render(): JSX.Element {
    return <DownloadForm {...this.options} onChange={this.setValue} />;
  }
}

export namespace DownloadDialog {
  export interface IOptions extends ChoiceDialog.IOptions<IValue> {
    /** Plan a download into a folder of the file browser ("" for its root). */
    plan: (destination: string) => Promise<ITransferPlan>;
  }

  export interface IValue {
    /** A folder of the file browser, without slashes at the ends; "" for its root. */
    destination: string;
    /** 'ask' unless the plan showed clashes and the user chose what to do with them. */
    conflict: ConflictPolicy;
  }
}

function DownloadForm(
  props: DownloadDialog.IOptions & {
    onChange: (value: DownloadDialog.IValue) => void;
  }
): JSX.Element {
  const { trans, initial, onChange } = props;
  const [text, setText] = React.useState(initial?.destination ?? '');
  const destination = normalizePrefix(text);
  const planned = usePlan(() => props.plan(destination), destination);
  // Keeping both loses nothing, so it is what an Enter on the dialog does.
  const { policy, setPolicy, clashes, conflict } = useConflict(
    initial?.conflict,
    planned
  );
  React.useEffect(() => {
    onChange({ destination, conflict });
  }, [destination, conflict]);

  return (
    <div className="jp-DataLake-sendForm jp-DataLake-downloadForm">
      <Notice text={props.notice} />
      <label className="jp-DataLake-prefix">
        {trans.__('Into this folder of the file browser')}
        <input
          type="text"
          className="jp-mod-styled jp-DataLake-downloadFolder"
          value={text}
          placeholder={trans.__('(empty for the top folder)')}
          onChange={event => setText(event.target.value)}
        />
      </label>
      <PlanPreview
        planned={planned}
        trans={trans}
        label={trans.__('Files to be written in your home')}
      />
      <ClashChoice
        clashes={clashes}
        where={trans.__('your home')}
        name="jp-DataLake-downloadConflict"
        policy={policy}
        onChange={setPolicy}
        trans={trans}
      />
    </div>
  );
}
