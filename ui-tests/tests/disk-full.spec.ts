import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const HOME = process.env.DATALAKE_UI_HOME as string;

/**
 * A real full disk: a 2 MiB tmpfs mounted inside the file browser's root (CI runs as root),
 * filled with a file, so that a notebook saved there hits ENOSPC for real.
 */
test.describe('A save that fails because the disk is full', () => {
  const folder = `full-disk-${process.pid}`;
  const mountPoint = path.join(HOME, folder);
  const filler = path.join(mountPoint, 'filler.bin');

  test.beforeEach(() => {
    fs.mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', [
      '-t',
      'tmpfs',
      '-o',
      'size=2m',
      'tmpfs',
      mountPoint
    ]);
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: {
          name: 'python3',
          display_name: 'Python 3 (ipykernel)',
          language: 'python'
        }
      },
      cells: [
        {
          cell_type: 'code',
          id: 'c1',
          metadata: {},
          source: '',
          outputs: [],
          execution_count: null
        }
      ]
    };
    fs.writeFileSync(
      path.join(mountPoint, 'analysis.ipynb'),
      JSON.stringify(notebook)
    );
  });

  test.afterEach(() => {
    execFileSync('umount', ['-l', mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  test('is explained, keeps the work, and succeeds once space is freed', async ({
    page
  }) => {
    await page.notebook.openByPath(`${folder}/analysis.ipynb`);
    await page.notebook.setCell(0, 'code', "result = 'kept after a full disk'");

    // Fill the disk completely, as a runaway job writing into home would.
    const fd = fs.openSync(filler, 'w');
    try {
      const chunk = Buffer.alloc(64 * 1024);
      for (;;) {
        fs.writeSync(fd, chunk);
      }
    } catch (error: any) {
      expect(error.code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fd);
    }

    await page.keyboard.press('Control+s');
    // The check before the save sees that the disk is full and asks first.
    const question = page
      .locator('.jp-Dialog')
      .filter({ hasText: 'Not enough space to save' });
    await expect(question).toBeVisible();
    await question.getByRole('button', { name: 'Save anyway' }).click();
    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'could not be saved' });
    await expect(toast).toHaveCount(1, { timeout: 20 * 1000 });
    await expect(toast).toContainText(
      `${folder}/analysis.ipynb could not be saved`
    );
    await expect(toast).toContainText('your home is full');
    await expect(toast).toContainText('not lost');
    // JupyterLab's own error dialog comes too; close it like a user would.
    const dialog = page
      .locator('.jp-Dialog')
      .filter({ hasText: 'File Save Error' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button').last().click();

    // The notebook is still open, still dirty, and still has the work in it.
    const tab = page.locator('.lm-TabBar-tab.jp-mod-current');
    await expect(tab).toHaveClass(/jp-mod-dirty/);
    expect(await page.notebook.getCellTextInput(0)).toBe(
      "result = 'kept after a full disk'"
    );
    const onDisk = JSON.parse(
      fs.readFileSync(path.join(mountPoint, 'analysis.ipynb'), 'utf8')
    );
    expect([].concat(onDisk.cells[0].source).join('')).toBe(''); // the last good save, intact

    // Free space, save again: it works, and the file on disk is complete.
    fs.unlinkSync(filler);
    await page.keyboard.press('Control+s');
    await expect(tab).not.toHaveClass(/jp-mod-dirty/, { timeout: 20 * 1000 });
    const saved = JSON.parse(
      fs.readFileSync(path.join(mountPoint, 'analysis.ipynb'), 'utf8')
    );
    expect([].concat(saved.cells[0].source).join('')).toBe(
      "result = 'kept after a full disk'"
    );
  });

  test('asks before saving a document that will not fit, and keeps it when told to wait', async ({
    page
  }) => {
    const target = path.join(mountPoint, 'analysis.ipynb');
    const notebook = JSON.parse(fs.readFileSync(target, 'utf8'));
    notebook.cells.push({
      // A raw cell of many short lines: large on disk, light for the browser to show.
      cell_type: 'raw',
      id: 'r1',
      metadata: {},
      source: `${'x'.repeat(79)}\n`.repeat(4000)
    });
    fs.writeFileSync(target, JSON.stringify(notebook));
    await page.notebook.openByPath(`${folder}/analysis.ipynb`);
    await page.notebook.setCell(0, 'code', 'total = 42');

    // Leave less room than the notebook needs, but not none.
    const fd = fs.openSync(filler, 'w');
    const free = () => {
      const stats = fs.statfsSync(mountPoint);
      return stats.bavail * stats.bsize;
    };
    try {
      const chunk = Buffer.alloc(16 * 1024);
      while (free() > 100 * 1024) {
        fs.writeSync(fd, chunk);
      }
    } finally {
      fs.closeSync(fd);
    }
    const before = fs.readFileSync(target, 'utf8');

    await page.keyboard.press('Control+s');
    const question = page
      .locator('.jp-Dialog')
      .filter({ hasText: 'Not enough space to save' });
    await expect(question).toBeVisible();
    await expect(question).toContainText(`${folder}/analysis.ipynb is about`);
    await question.getByRole('button', { name: 'Free space first' }).click();

    // Nothing was written, the work is still open, and the Storage panel shows where to look.
    await expect(page.getByRole('region', { name: 'Storage' })).toBeVisible();
    await expect(
      page.locator('.lm-TabBar-tab.jp-mod-current').first()
    ).toHaveClass(/jp-mod-dirty/);
    expect(fs.readFileSync(target, 'utf8')).toBe(before);
    expect(await page.notebook.getCellTextInput(0)).toBe('total = 42');
  });
});
