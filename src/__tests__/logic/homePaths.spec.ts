import { homePathKind, isHiddenPath } from '../../logic/homePaths';

describe('homePathKind', () => {
  it('names the notebook a checkpoint is of', () => {
    expect(
      homePathKind('notebooks/.ipynb_checkpoints/explore-checkpoint.ipynb')
    ).toEqual({ kind: 'checkpoint', of: 'notebooks/explore.ipynb' });
    expect(homePathKind('.ipynb_checkpoints/a.b-checkpoint.py')).toEqual({
      kind: 'checkpoint',
      of: 'a.b.py'
    });
    expect(homePathKind('.ipynb_checkpoints')).toEqual({
      kind: 'checkpoints',
      in: ''
    });
    expect(homePathKind('data/.ipynb_checkpoints')).toEqual({
      kind: 'checkpoints',
      in: 'data'
    });
  });

  it('names the trashed item, from its file or its .trashinfo', () => {
    expect(homePathKind('.local/share/Trash/files/old.parquet')).toEqual({
      kind: 'trash',
      name: 'old.parquet'
    });
    expect(
      homePathKind('.local/share/Trash/files/runs/2026/model.pkl')
    ).toEqual({ kind: 'trash', name: 'runs' });
    expect(
      homePathKind('.local/share/Trash/info/old.parquet.trashinfo')
    ).toEqual({ kind: 'trash', name: 'old.parquet' });
    expect(homePathKind('.local/share/Trash')).toEqual({
      kind: 'trash',
      name: ''
    });
  });

  it('tells other hidden paths from plain ones', () => {
    expect(homePathKind('.cache/pip/wheel.whl')).toEqual({ kind: 'hidden' });
    expect(homePathKind('data/sales.csv')).toEqual({ kind: 'plain' });
    expect(homePathKind('.local/share/Trashcan/x')).toEqual({
      kind: 'hidden'
    });
  });
});

describe('isHiddenPath', () => {
  it('is true when any part starts with a dot', () => {
    expect(isHiddenPath('a/.b/c')).toBe(true);
    expect(isHiddenPath('a/b.c')).toBe(false);
  });
});
