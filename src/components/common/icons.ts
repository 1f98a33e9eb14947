import { LabIcon } from '@jupyterlab/ui-components';

import sendToLakeSvg from '../../../style/icons/send-to-lake.svg';
import storageSvg from '../../../style/icons/storage.svg';

export const storageIcon = new LabIcon({
  name: 'jupyterlab-datalake:storage',
  svgstr: storageSvg
});

export const sendToLakeIcon = new LabIcon({
  name: 'jupyterlab-datalake:send-to-lake',
  svgstr: sendToLakeSvg
});
