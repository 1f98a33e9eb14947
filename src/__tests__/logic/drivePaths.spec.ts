import { drivePath, opensWhole, splitDrivePath } from '../../logic/drivePaths';

describe('drivePaths', () => {
  const mine = { id: 'mine', prefix: 'users/ada/' };

  it('names an object by its area id and its key inside the area', () => {
    expect(drivePath(mine, 'users/ada/run/analysis.ipynb')).toBe(
      'datalake:mine/run/analysis.ipynb'
    );
    expect(
      drivePath({ id: 'shared', prefix: 'shared/' }, 'shared/ü #?.csv')
    ).toBe('datalake:shared/ü #?.csv');
    expect(drivePath(mine, 'shared/x.csv')).toBeNull();
    expect(drivePath(mine, 'users/ada/')).toBeNull();
  });

  it('splits a drive path into the area and the path inside it', () => {
    expect(splitDrivePath('shared/reference/countries.csv')).toEqual({
      area: 'shared',
      inner: 'reference/countries.csv'
    });
    expect(splitDrivePath('shared')).toEqual({ area: 'shared', inner: '' });
  });

  it("opens whole up to the server's limit, and whatever an older server says none for", () => {
    expect(opensWhole(64, 64)).toBe(true);
    expect(opensWhole(65, 64)).toBe(false);
    expect(opensWhole(65, undefined)).toBe(true);
  });
});
