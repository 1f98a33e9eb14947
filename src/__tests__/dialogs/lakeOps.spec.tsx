import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { NameDialog, nameProblem } from '../../dialogs/NameDialog';
import { ShareDialog } from '../../dialogs/ShareDialog';
import { show, typeInto } from '../fixtures/render';

const trans = nullTranslator.load('jupyterlab_datalake');

describe('nameProblem', () => {
  it.each([
    ['', 'A name is needed.'],
    ['  ', 'A name is needed.'],
    ['a/b', 'cannot hold "/"'],
    ['..', '".." cannot be a name.'],
    ['tab\there', 'control character']
  ])('refuses %j', (name, words) => {
    expect(nameProblem(name, trans)).toContain(words);
  });

  it('takes names with spaces, dots and other scripts', () => {
    for (const name of ['report v2 (final).csv', '.hidden', 'données']) {
      expect(nameProblem(name, trans)).toBeNull();
    }
  });
});

describe('NameDialog', () => {
  let widget: NameDialog;
  afterEach(() => React.act(() => widget?.dispose()));

  it('starts with the stem of a file selected, so that typing keeps its extension', async () => {
    widget = new NameDialog({
      trans,
      label: 'New name',
      initial: { name: 'sales.2026.csv' },
      selectStem: true
    });
    await show(widget);
    const input = widget.node.querySelector('input') as HTMLInputElement;
    expect(input.value.slice(input.selectionStart!, input.selectionEnd!)).toBe(
      'sales.2026'
    );
    // Typing goes into the name, whenever the dialog looked for what to focus.
    expect(document.activeElement).toBe(input);
    expect(widget.getValue()).toEqual({ name: 'sales.2026.csv' });
  });

  it('says what is wrong once the user typed, and gives the trimmed name', async () => {
    widget = new NameDialog({ trans, label: 'Folder name' });
    await show(widget);
    expect(widget.node.textContent).not.toContain('A name is needed');
    await typeInto(widget, 'a/b');
    expect(widget.node.textContent).toContain('cannot hold "/"');
    await typeInto(widget, ' results ');
    expect(widget.node.textContent).not.toContain('cannot hold');
    expect(widget.getValue()).toEqual({ name: 'results' });
  });
});

describe('ShareDialog', () => {
  let widget: ShareDialog;
  afterEach(() => React.act(() => widget?.dispose()));

  it('offers 1 hour, 1 day and 7 days, 1 day to start with', async () => {
    widget = new ShareDialog({ trans, name: 'a.csv' });
    await show(widget);
    const options = Array.from(
      widget.node.querySelectorAll<HTMLInputElement>('input[type="radio"]'),
      input => [input.parentElement?.textContent, input.checked]
    );
    expect(options).toEqual([
      ['1 hour', false],
      ['1 day', true],
      ['7 days', false]
    ]);
    expect(widget.node.textContent).toContain('Anyone with the link');
    expect(widget.getValue()).toEqual({ lifetime: 86400 });
    const week = widget.node.querySelectorAll<HTMLInputElement>(
      'input[type="radio"]'
    )[2];
    await React.act(() => week.click());
    expect(widget.getValue()).toEqual({ lifetime: 604800 });
  });
});
