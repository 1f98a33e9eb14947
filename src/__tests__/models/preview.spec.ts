import { DataLakeAPIError } from '../../api/request';
import { Area, IPreview } from '../../api/types';
import { LakeBrowserModel } from '../../models/lake';
import { PreviewModel } from '../../models/preview';
import { FakeLake, folder, object } from '../fixtures/lake';

function settle(ms = 0): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function reply(
  area: Area,
  key: string,
  extra: Partial<IPreview> = {}
): IPreview {
  return {
    area,
    key,
    format: 'csv',
    compressed: false,
    info: { key, size: 10, can_delete: false },
    bytes_read: 10,
    message: null,
    notes: [],
    table: { columns: ['a'], rows: [['1']], more: false },
    ...extra
  };
}

describe('PreviewModel', () => {
  let lake: FakeLake;
  let browser: LakeBrowserModel;
  let model: PreviewModel;
  let asked: string[];
  let answers: Map<string, () => Promise<IPreview>>;

  beforeEach(async () => {
    lake = new FakeLake();
    lake.folders['shared/'] = [
      folder('ref'),
      object('a.csv'),
      object('b.parquet'),
      object('photo.png')
    ];
    browser = new LakeBrowserModel({
      api: lake.api,
      transfers: lake.transfers,
      areas: lake.areas,
      infoDelay: 0,
      refreshDelay: 0
    });
    await browser.open('shared');
    asked = [];
    answers = new Map();
    model = new PreviewModel({
      api: {
        previewObject: async (area: Area, key: string) => {
          asked.push(key);
          const answer = answers.get(key);
          return answer ? answer() : reply(area, key);
        },
        downloadUrl: lake.api.downloadUrl
      },
      lake: browser,
      delay: 5
    });
  });

  afterEach(() => {
    model.dispose();
    browser.dispose();
  });

  it('previews the one object selected, once the selection settles', async () => {
    browser.select(['shared/a.csv']);
    browser.select(['shared/b.parquet']);
    expect(model.target?.key).toBe('shared/b.parquet');
    expect(model.isLoading).toBe(true);
    await settle(20);
    // The row passed over is never asked for.
    expect(asked).toEqual(['shared/b.parquet']);
    expect(model.preview?.key).toBe('shared/b.parquet');
    expect(model.isLoading).toBe(false);
  });

  it('shows nothing for a folder, several rows or none', async () => {
    for (const keys of [
      ['shared/ref/'],
      ['shared/a.csv', 'shared/b.parquet'],
      []
    ]) {
      browser.select(keys);
      await settle(20);
      expect(model.target).toBeNull();
      expect(model.preview).toBeNull();
    }
    expect(asked).toEqual([]);
  });

  it('drops a reply for a row no longer selected', async () => {
    let release = () => undefined as void;
    answers.set(
      'shared/a.csv',
      () =>
        new Promise<IPreview>(resolve => {
          release = () => resolve(reply('shared', 'shared/a.csv'));
        })
    );
    browser.select(['shared/a.csv']);
    await settle(20);
    browser.select(['shared/b.parquet']);
    release();
    await settle(20);
    expect(model.preview?.key).toBe('shared/b.parquet');
  });

  it("keeps the server's words when the object is gone", async () => {
    answers.set('shared/a.csv', async () => {
      throw new DataLakeAPIError(
        'shared/a.csv is not in the data lake (any more).',
        404
      );
    });
    browser.select(['shared/a.csv']);
    await settle(20);
    expect(model.preview).toBeNull();
    expect(model.error?.status).toBe(404);
    expect(model.error?.message).toBe(
      'shared/a.csv is not in the data lake (any more).'
    );
  });

  it('shows an image from the download URL, and none where the server says why not', async () => {
    answers.set('shared/photo.png', async () =>
      reply('shared', 'shared/photo.png', { format: 'image', table: undefined })
    );
    browser.select(['shared/photo.png']);
    await settle(20);
    expect(model.imageUrl()).toBe(
      lake.api.downloadUrl('shared', 'shared/photo.png')
    );
    answers.set('shared/photo.png', async () =>
      reply('shared', 'shared/photo.png', {
        format: 'image',
        message: 'This image is too large to preview; download it to see it.'
      })
    );
    await model.refresh();
    expect(model.imageUrl()).toBeNull();
  });
});
