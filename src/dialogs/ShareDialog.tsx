import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ShareLifetime } from '../api/types';
import { Choice, ChoiceDialog } from './ChoiceDialog';

/** The lifetimes offered, in seconds: SigV4 presigned URLs last at most 7 days. */
export const SHARE_LIFETIMES: ShareLifetime[] = [3600, 86400, 604800];

/** A lifetime in words: "1 hour", "1 day", "7 days". */
export function lifetimeText(
  lifetime: ShareLifetime,
  trans: TranslationBundle
): string {
  switch (lifetime) {
    case 3600:
      return trans.__('1 hour');
    case 86400:
      return trans.__('1 day');
    default:
      return trans.__('7 days');
  }
}

/**
 * The body of the "Copy share link" dialog: how long the link works. It says beforehand that
 * anyone holding the link can read the object until then, and, when the admin set no public
 * endpoint (known only from the reply, so said after), the notification says where it works.
 */
export class ShareDialog extends ChoiceDialog<
  ShareDialog.IOptions,
  ShareDialog.IValue
> {
  constructor(options: ShareDialog.IOptions) {
    super(options, { lifetime: options.initial?.lifetime ?? 86400 });
    this.addClass('jp-DataLake-shareDialog');
  }

  render(): JSX.Element {
    return <ShareForm {...this.options} onChange={this.setValue} />;
  }
}

export namespace ShareDialog {
  export interface IOptions extends ChoiceDialog.IOptions<IValue> {
    /** The object's name, as the dialog names it. */
    name: string;
  }

  export interface IValue {
    lifetime: ShareLifetime;
  }
}

function ShareForm(
  props: ShareDialog.IOptions & {
    onChange: (value: ShareDialog.IValue) => void;
  }
): JSX.Element {
  const { trans, onChange } = props;
  const [lifetime, setLifetime] = React.useState<ShareLifetime>(
    props.initial?.lifetime ?? 86400
  );
  React.useEffect(() => onChange({ lifetime }), [lifetime]);
  return (
    <div className="jp-DataLake-shareForm">
      <p>
        {trans.__(
          'Anyone with the link can download %1 until it expires, without signing in.',
          props.name
        )}
      </p>
      <Choice
        legend={trans.__('The link works for')}
        name="jp-DataLake-lifetime"
        options={SHARE_LIFETIMES.map(value => [
          String(value),
          lifetimeText(value, trans)
        ])}
        value={String(lifetime)}
        onChange={value => setLifetime(Number(value) as ShareLifetime)}
      />
    </div>
  );
}
