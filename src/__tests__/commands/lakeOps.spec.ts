import { folderOf, keyName, parentPrefix } from '../../commands/lakeOps';
import { FOUR_AREAS } from '../fixtures/areas';

const mine = FOUR_AREAS[0];

describe('the keys the lake commands work from', () => {
  it('name a file or a folder by its last part', () => {
    expect(keyName(`${mine.prefix}a/b/report.csv`)).toBe('report.csv');
    expect(keyName(`${mine.prefix}a/b/`)).toBe('b');
  });

  it('find the folder inside the area that holds a key', () => {
    expect(parentPrefix(mine, `${mine.prefix}a/b/report.csv`)).toBe('a/b');
    expect(parentPrefix(mine, `${mine.prefix}a/b/`)).toBe('a');
    expect(parentPrefix(mine, `${mine.prefix}top.csv`)).toBe('');
  });

  it('take a folder inside the area or as a full key prefix', () => {
    expect(folderOf(mine, 'a/b')).toBe('a/b');
    expect(folderOf(mine, `${mine.prefix}a/b/`)).toBe('a/b');
    expect(folderOf(mine, '')).toBe('');
  });
});
