import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ChoiceDialog, Notice } from './ChoiceDialog';

/**
 * What is wrong with a name for an object or folder of the lake, as the server would refuse
 * it; null when it is fine. Said while typing, so that the dialog is not sent in vain.
 */
export function nameProblem(
  name: string,
  trans: TranslationBundle
): string | null {
  const trimmed = name.trim();
  if (!trimmed) {
    return trans.__('A name is needed.');
  }
  if (trimmed.includes('/')) {
    return trans.__('A name cannot hold "/"; move it to put it in a folder.');
  }
  if (trimmed === '.' || trimmed === '..') {
    return trans.__('"%1" cannot be a name.', trimmed);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    return trans.__('A name cannot hold a control character.');
  }
  return null;
}

/**
 * The body of the "Rename" and "New folder" dialogs: one name, checked as it is typed. A
 * file's name starts with its stem selected, as JupyterLab's own rename does, so that typing
 * keeps the extension.
 */
export class NameDialog extends ChoiceDialog<
  NameDialog.IOptions,
  NameDialog.IValue
> {
  constructor(options: NameDialog.IOptions) {
    super(options, { name: options.initial?.name ?? '' });
    this.addClass('jp-DataLake-nameDialog');
  }

  render(): JSX.Element {
    return <NameForm {...this.options} onChange={this.setValue} />;
  }
}

export namespace NameDialog {
  export interface IOptions extends ChoiceDialog.IOptions<IValue> {
    label: string;
    /** Select the stem only (a file: "report" of "report.csv"). */
    selectStem?: boolean;
  }

  export interface IValue {
    name: string;
  }
}

function NameForm(
  props: NameDialog.IOptions & { onChange: (value: NameDialog.IValue) => void }
): JSX.Element {
  const { trans, onChange } = props;
  const [name, setName] = React.useState(props.initial?.name ?? '');
  const input = React.useRef<HTMLInputElement>(null);
  // An empty name is said to be wrong once the user typed something, not at once.
  const [typed, setTyped] = React.useState(false);
  const problem = typed || name ? nameProblem(name, trans) : null;
  React.useEffect(() => onChange({ name: name.trim() }), [name]);
  React.useEffect(() => {
    const node = input.current;
    // The dialog's focusNodeSelector looks for the input when the dialog is attached, which
    // can be before React has rendered it; the focus then went to the button, and what the
    // user typed went nowhere. The form gives its input the focus once it is there.
    node?.focus();
    if (node && props.selectStem) {
      const dot = node.value.lastIndexOf('.');
      node.setSelectionRange(0, dot > 0 ? dot : node.value.length);
    }
  }, []);
  return (
    <div className="jp-DataLake-nameForm">
      <Notice text={props.notice} />
      <label className="jp-DataLake-prefix">
        {props.label}
        <input
          ref={input}
          type="text"
          className="jp-mod-styled"
          value={name}
          aria-invalid={problem !== null}
          onChange={event => {
            setTyped(true);
            setName(event.target.value);
          }}
        />
      </label>
      {problem && <p className="jp-DataLake-warning">{problem}</p>}
    </div>
  );
}
