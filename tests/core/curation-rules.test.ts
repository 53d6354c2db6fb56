import { describe, expect, it } from 'vitest';
import {
  changeSummary,
  checkClassName,
  missingNames,
  relabelEntries,
  undoRelabel,
} from '../../src-main/core/services/curation-rules.js';

const items = [
  { id: 1, filename: 'cat/a.png', class_name: 'cat' },
  { id: 2, filename: 'b.png', class_name: null },
  { id: 3, filename: 'dog/c.png', class_name: 'dog' },
];

describe('curation rules', () => {
  it('accepts a class name trimmed; blank or null means "no class"', () => {
    expect(checkClassName('  bird ')).toEqual({ ok: true, value: 'bird' });
    expect(checkClassName('')).toEqual({ ok: true, value: null });
    expect(checkClassName(null)).toEqual({ ok: true, value: null });
  });

  it('refuses a class name that could not be a folder name', () => {
    expect(checkClassName('a/b')).toMatchObject({ ok: false });
    expect(checkClassName('a\\b')).toMatchObject({ ok: false });
    expect(checkClassName('x'.repeat(101))).toMatchObject({ ok: false });
    expect(checkClassName('tab\there')).toMatchObject({ ok: false });
  });

  it('relabels only the items whose class changes, each once', () => {
    const entries = relabelEntries([...items, items[0]!], 'dog');
    expect(entries).toEqual([
      { item_id: 1, filename: 'cat/a.png', before: 'cat', after: 'dog' },
      { item_id: 2, filename: 'b.png', before: null, after: 'dog' },
    ]);
  });

  it('gives an item without a class its first one, and can take a class away', () => {
    expect(relabelEntries([items[1]!], 'cat')).toEqual([
      { item_id: 2, filename: 'b.png', before: null, after: 'cat' },
    ]);
    expect(relabelEntries([items[0]!], null)[0]?.after).toBeNull();
  });

  it('undoes a relabel by putting each item back in its own class', () => {
    const entries = relabelEntries(items, 'emu');
    expect(undoRelabel(entries).map((e) => [e.item_id, e.after])).toEqual([
      [1, 'cat'],
      [2, null],
      [3, 'dog'],
    ]);
  });

  it('names the items a request asks for that do not exist', () => {
    expect(missingNames(['cat/a.png', 'nope.png', 'nope.png'], items)).toEqual(['nope.png']);
  });

  it('says what changed and which past runs keep their labels', () => {
    expect(changeSummary('relabel', 2, 'dog', 0)).toBe('Moved 2 items to "dog"');
    expect(changeSummary('relabel', 1, null, 0)).toBe('Removed the class of 1 item');
    expect(changeSummary('delete', 3, null, 1)).toBe(
      'Deleted 3 items; 1 finished run trained on them and keeps the labels it trained on',
    );
  });
});
