import { Context, TextModelFactory } from '@jupyterlab/docregistry';
import { ServiceManagerMock } from '@jupyterlab/services/lib/testutils';

import { guardSave } from '../../notifications/saveHook';

/**
 * The save check patches `context.save`, since JupyterLab has no supported hook before a save.
 * These tests run against JupyterLab's real Context: they fail if an upgrade renames `save`,
 * changes what it takes, or saves without going through it, which would turn the check off
 * without a word.
 */
describe('guardSave on a real document context', () => {
  async function context(): Promise<Context> {
    const manager = new ServiceManagerMock();
    await manager.ready;
    const ctx = new Context({
      manager,
      factory: new TextModelFactory(),
      path: `guarded-${Math.random().toString(36).slice(2)}.txt`
    });
    await ctx.initialize(true);
    return ctx;
  }

  it('still finds save as a method of no arguments', () => {
    expect(typeof Context.prototype.save).toBe('function');
    expect(Context.prototype.save.length).toBe(0);
  });

  it('asks before each save, and saves when told to', async () => {
    const ctx = await context();
    const states: string[] = [];
    ctx.saveState.connect((_, state) => states.push(state));
    const asked = jest.fn(async () => true);
    guardSave(ctx, asked);
    ctx.model.fromString('hello');
    await ctx.save();
    expect(asked).toHaveBeenCalledTimes(1);
    expect(states).toEqual(['started', 'completed']);
    expect(ctx.model.dirty).toBe(false);
    ctx.dispose();
  });

  it('holds the save back when told not to, and keeps the changes', async () => {
    const ctx = await context();
    const states: string[] = [];
    ctx.saveState.connect((_, state) => states.push(state));
    guardSave(ctx, async () => false);
    ctx.model.fromString('unsaved');
    ctx.model.dirty = true;
    await ctx.save();
    expect(states).toEqual([]);
    expect(ctx.model.dirty).toBe(true);
    expect(ctx.model.toString()).toBe('unsaved');
    ctx.dispose();
  });
});
