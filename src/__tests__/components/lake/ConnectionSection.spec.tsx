import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { DataLakeAPI } from '../../../api/client';
import { IStatus } from '../../../api/types';
import { ConnectionSection } from '../../../components/lake/ConnectionSection';
import { StatusModel } from '../../../models/status';
import { area, FOUR_AREAS, statusWith } from '../../fixtures/areas';
import { show } from '../../fixtures/render';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('ConnectionSection', () => {
  let widget: Widget;
  let model: StatusModel;
  afterEach(async () => {
    await React.act(() => widget?.dispose());
    model.dispose();
  });

  async function render(status: IStatus): Promise<void> {
    const api = { getStatus: async () => status } as unknown as DataLakeAPI;
    model = new StatusModel({ api });
    await model.check();
    widget = ReactWidget.create(
      <ConnectionSection model={model} trans={trans} />
    );
    await show(widget);
  }

  it("lists each area with the user's rights there", async () => {
    const bob =
      'Your data lake account may not list users/bob/ (s3a://datalake/users/bob/).';
    await render(
      statusWith([
        ...FOUR_AREAS,
        area('bob', 'users/bob/', {
          title: 'Bob',
          read: 'refused',
          readMessage: bob,
          write: 'refused'
        }),
        area('archive', 'archive/', {
          title: 'Archive',
          bucket: 'cold',
          write: 'not-allowed',
          delete: 'none'
        })
      ])
    );
    const lines = Array.from(
      widget.node.querySelectorAll('.jp-DataLake-areaRights li'),
      li => li.textContent
    );
    expect(lines).toEqual([
      'My area users/ada/ — read, write, delete',
      'Shared shared/ — read, write, delete own uploads',
      'Datasets datasets/ — read, write, delete own uploads',
      'Raw (Hive/Trino) raw/ — read only',
      `Bob users/bob/ — refused: ${bob}`,
      // Another bucket's area is named by its whole URI.
      'Archive s3a://cold/archive/ — read only'
    ]);
    expect(
      widget.node
        .querySelector('.jp-DataLake-areaRights li[data-area="bob"]')
        ?.classList.contains('jp-mod-refused')
    ).toBe(true);
  });
});
