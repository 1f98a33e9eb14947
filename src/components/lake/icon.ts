import { LabIcon } from '@jupyterlab/ui-components';

import lakeSvg from '../../../style/icons/lake.svg';

/** The data lake panel's icon in the sidebar and on its tab: a cloud over water. */
export const lakeIcon = new LabIcon({
  name: 'jupyterlab-datalake:lake',
  svgstr: lakeSvg
});
