import * as React from 'react';

import { nameParts } from '../../logic/entries';

/**
 * A name that, when short of room, loses its middle rather than its end:
 * "features_fu…ll.parquet", not "features_full.p…" nor "…ll.parquet". The CSS shrinks the
 * start with an ellipsis and keeps the end whole; the full name belongs in a tooltip.
 */
export function MiddleName(props: {
  text: string;
  className?: string;
}): JSX.Element {
  const [start, end] = nameParts(props.text);
  return (
    <span
      className={
        'jp-DataLake-middleName' +
        (props.className ? ` ${props.className}` : '')
      }
    >
      <span className="jp-DataLake-middleStart">{start}</span>
      {end && <span className="jp-DataLake-middleEnd">{end}</span>}
    </span>
  );
}
