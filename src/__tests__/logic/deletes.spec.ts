import { nullTranslator } from '@jupyterlab/translation';

import {
  deleteQuestion,
  isPrivateArea,
  notYoursReason
} from '../../logic/deletes';
import { area, DEFAULT_AREAS } from '../fixtures/areas';
import { folder, object } from '../fixtures/lake';

const trans = nullTranslator.load('jupyterlab_datalake');
const [mine, shared] = DEFAULT_AREAS;

describe('isPrivateArea', () => {
  it('is the area whose prefix holds the user’s name', () => {
    expect(isPrivateArea(mine, 'ada')).toBe(true);
    expect(isPrivateArea(shared, 'ada')).toBe(false);
    const scratch = area('scratch', 'scratch/ada/', { delete: 'own' });
    expect(isPrivateArea(scratch, 'ada')).toBe(true);
    // A name inside another folder's name is not the user's folder.
    expect(isPrivateArea(area('x', 'adam/'), 'ada')).toBe(false);
  });

  it('takes an area everyone may delete in as shared, and `mine` as own without a name', () => {
    const common = area('common', 'common/', { delete: 'any' });
    expect(isPrivateArea(common, 'ada')).toBe(false);
    expect(isPrivateArea(mine, null)).toBe(true);
    expect(isPrivateArea(common, null)).toBe(false);
  });
});

describe('deleteQuestion', () => {
  const at = (prefix: string, name: string) => ({
    ...object(name),
    key: prefix + name
  });

  it('names the area and whether others lose it', () => {
    expect(
      deleteQuestion(mine, [at('users/ada/', 'results.csv')], 'ada', trans)
    ).toBe(
      'Delete results.csv from My area (users/ada/)? This cannot be undone.'
    );
    expect(
      deleteQuestion(shared, [at('shared/', 'results.csv')], 'ada', trans)
    ).toBe(
      'Delete results.csv from Shared (shared/)? Everyone loses it; this cannot be undone.'
    );
  });

  it('shows where in the area, says a folder goes with what it holds, and lists a few names', () => {
    const runs = { ...folder('runs'), key: 'shared/team/runs/' };
    expect(deleteQuestion(shared, [runs], 'ada', trans)).toBe(
      'Delete team/runs/ and everything in it from Shared (shared/)? Everyone loses it; this cannot be undone.'
    );
    const many = Array.from({ length: 7 }, (_, i) =>
      at('users/ada/', `${i}.csv`)
    );
    expect(deleteQuestion(mine, many, 'ada', trans)).toBe(
      'Delete 0.csv, 1.csv, 2.csv, 3.csv, 4.csv and 2 more from My area (users/ada/)? This cannot be undone.'
    );
  });
});

describe('notYoursReason', () => {
  it('says whose the object is, and what the area allows', () => {
    expect(notYoursReason(shared, object('a.csv'), 'bob', trans)).toBe(
      'Uploaded by bob; in Shared you can delete only what you uploaded'
    );
    expect(notYoursReason(shared, object('a.csv'), null, trans)).toBe(
      'Not recorded as your upload; in Shared you can delete only what you uploaded'
    );
    expect(notYoursReason(shared, folder('team'), undefined, trans)).toBe(
      'In Shared you can delete only what you uploaded; a folder may hold what others uploaded'
    );
  });
});
