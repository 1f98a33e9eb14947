import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { IAtRisk, IWatchedLocation } from '../../../api/types';
import { IHomeActions } from '../../../components/actions';
import { AtRiskSection } from '../../../components/atrisk/AtRiskSection';
import { AtRiskModel } from '../../../models/atrisk';
import { show } from '../../fixtures/render';

const trans = nullTranslator.load('jupyterlab_datalake');

/** A watched place as the server reports it, with nothing of the user's in it. */
function place(
  path: string,
  reason: string,
  more: Partial<IWatchedLocation> = {}
): IWatchedLocation {
  return {
    path,
    persistent: false,
    reason,
    writable: true,
    bytes: 0,
    files: 0,
    entries: [],
    entry_count: 0,
    note: null,
    ...more
  };
}

describe('AtRiskSection', () => {
  let widget: Widget;
  afterEach(() => React.act(() => widget?.dispose()));

  function render(atRisk: IAtRisk) {
    const model = {
      value: atRisk,
      atRisk,
      error: null,
      isFetching: false
    } as unknown as AtRiskModel;
    widget = ReactWidget.create(
      <AtRiskSection model={model} trans={trans} actions={{} as IHomeActions} />
    );
    return show(widget);
  }

  const explanations = () =>
    Array.from(
      widget.node.querySelectorAll('.jp-DataLake-unlisted li'),
      item => item.textContent
    );

  it('says why each watched place it does not list is absent', async () => {
    await render({
      home: '/home/jovyan',
      since: 0,
      locations: [
        place('/tmp', 'on your home volume (/, ext4)', { persistent: true }),
        place(
          '/dev/shm',
          'on a tmpfs (RAM) mount at /dev/shm, lost at restart',
          {
            entries: [
              {
                path: '/dev/shm/cache.bin',
                name: 'cache.bin',
                bytes: 4096,
                files: 1,
                is_dir: false,
                mtime: 1
              }
            ],
            entry_count: 1,
            bytes: 4096,
            files: 1
          }
        ),
        place(
          '/run/scratch',
          "on the container's root filesystem (overlay), lost at restart",
          { writable: false }
        ),
        place('/scratch', 'on a tmpfs (RAM) mount at /scratch, lost at restart')
      ],
      skipped: [
        { path: '/var/tmp', same_as: '/tmp' },
        { path: '/data/tmp', same_as: null }
      ],
      packages: []
    });
    // The one place with something of the user's is listed, with its entry.
    const listed = widget.node.querySelectorAll('.jp-DataLake-location');
    expect(Array.from(listed, node => node.getAttribute('data-path'))).toEqual([
      '/dev/shm'
    ]);
    expect(explanations()).toEqual([
      '/tmp is on your home volume (/, ext4), so it is kept.',
      "/run/scratch is on the container's root filesystem (overlay), lost at restart, but you cannot write there, so nothing of yours is at risk.",
      'Nothing of yours in /scratch, which is on a tmpfs (RAM) mount at /scratch, lost at restart.',
      '/var/tmp is the same folder as /tmp.',
      '/data/tmp does not exist here.'
    ]);
  });

  it('explains a kept /tmp beside "nothing at risk"', async () => {
    await render({
      home: '/home/jovyan',
      since: 0,
      locations: [
        place('/tmp', 'on your home volume (/, ext4)', { persistent: true })
      ],
      skipped: [],
      packages: []
    });
    expect(widget.node.textContent).toContain('Nothing at risk');
    expect(explanations()).toEqual([
      '/tmp is on your home volume (/, ext4), so it is kept.'
    ]);
  });
});
