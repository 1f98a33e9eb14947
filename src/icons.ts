import { LabIcon } from '@jupyterlab/ui-components';

import storageSvg from '../style/icons/storage.svg';

export const storageIcon = new LabIcon({
  name: 'jupyterlab-datalake:storage',
  svgstr: storageSvg
});
