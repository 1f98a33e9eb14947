import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { folderTrail } from '../../logic/keys';
import { MiddleName } from './MiddleName';

/**
 * The folders from the area's top to the one shown, each a button that opens it. At sidebar
 * width the folders between shrink first and the one shown last, each losing its middle; the
 * full path is in every crumb's tooltip.
 */
export function Breadcrumbs(props: {
  root: string;
  prefix: string;
  trans: TranslationBundle;
  onOpen: (prefix: string) => void;
}): JSX.Element {
  const { root, prefix, trans, onOpen } = props;
  const crumbs = [{ name: root, prefix: '' }, ...folderTrail(prefix)];
  return (
    <nav className="jp-DataLake-crumbs" aria-label={trans.__('Folder path')}>
      <ol>
        {crumbs.map((crumb, i) => (
          <li
            key={crumb.prefix}
            className={
              i === 0
                ? 'jp-DataLake-crumbRoot'
                : i === crumbs.length - 1
                  ? 'jp-DataLake-crumbLast'
                  : undefined
            }
          >
            {i > 0 && (
              <span className="jp-DataLake-crumbSeparator" aria-hidden="true">
                /
              </span>
            )}
            <button
              className="jp-DataLake-crumb"
              data-prefix={crumb.prefix}
              aria-current={i === crumbs.length - 1 ? 'location' : undefined}
              title={trans.__(
                'Open %1',
                [root, crumb.prefix].filter(Boolean).join('/')
              )}
              onClick={() => onOpen(crumb.prefix)}
            >
              <MiddleName text={crumb.name} />
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
