import { describe, expect, it } from 'vitest';
import {
  evaluationSmallDataWarning,
  formatInterval,
  splitSmallDataWarning,
  wilsonInterval,
  worstSwingPoints,
} from '../../src-renderer/lib/small-data.js';

const cls = (name: string, train: number, val: number, test: number) => ({
  class: name,
  train,
  val,
  test,
  none: 0,
});

describe('Wilson score interval', () => {
  it('matches the textbook values', () => {
    // 8 of 10: the standard worked example gives 0.490 … 0.943.
    const i = wilsonInterval(8, 10);
    expect(i.lo).toBeCloseTo(0.4902, 3);
    expect(i.hi).toBeCloseTo(0.9433, 3);
    // 50 of 100: 0.404 … 0.596.
    expect(wilsonInterval(50, 100).lo).toBeCloseTo(0.4038, 3);
    expect(wilsonInterval(50, 100).hi).toBeCloseTo(0.5962, 3);
  });

  it('stays inside [0, 1] and is not zero-width at 0% or 100%', () => {
    const none = wilsonInterval(0, 5);
    expect(none.lo).toBe(0);
    expect(none.hi).toBeCloseTo(0.4345, 3);
    const all = wilsonInterval(5, 5);
    expect(all.hi).toBe(1);
    expect(all.lo).toBeCloseTo(0.5655, 3);
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
  });

  it('narrows as n grows, and formats as whole percents', () => {
    expect(worstSwingPoints(5)).toBe(33);
    expect(worstSwingPoints(20)).toBe(20);
    expect(worstSwingPoints(400)).toBe(5);
    expect(formatInterval(wilsonInterval(8, 10))).toBe('49%–94%');
  });
});

describe('small-data messages', () => {
  it('split: names the small classes with their validation/test counts and the swing', () => {
    const msg = splitSmallDataWarning([cls('cat', 80, 5, 6), cls('dog', 400, 50, 50)]);
    expect(msg).toBe(
      '1 class has fewer than 20 validation/test items: cat (5/6). Their figures will swing ' +
        'from split to split: an accuracy measured on 5 items can be off by up to ±33 points ' +
        '(95% Wilson interval).',
    );
  });

  it('split: silent when every class has 20 or more; ignores an empty subset and unlabelled', () => {
    expect(splitSmallDataWarning([cls('a', 100, 20, 20), cls('b', 100, 25, 30)])).toBeNull();
    // No test part at all: only validation counts.
    expect(splitSmallDataWarning([cls('a', 100, 25, 0), cls('b', 100, 30, 0)])).toBeNull();
    expect(splitSmallDataWarning([cls('a', 100, 25, 25), cls('', 3, 1, 1)])).toBeNull();
    const msg = splitSmallDataWarning([cls('a', 100, 12, 0), cls('b', 100, 30, 0)]);
    expect(msg).toContain('fewer than 20 validation items: a (12)');
  });

  it('split: one item is one item', () => {
    expect(splitSmallDataWarning([cls('a', 8, 1, 2)])).toContain('measured on 1 item can be off');
  });

  it('split: a class with none in a part says it cannot be measured', () => {
    expect(splitSmallDataWarning([cls('a', 9, 0, 1), cls('b', 100, 30, 30)])).toContain(
      'cannot be measured',
    );
  });

  it('split: lists at most four classes by name', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => cls(n, 50, 3, 3));
    expect(splitSmallDataWarning(many)).toContain('a (3/3), b (3/3), c (3/3), d (3/3) and 2 more');
  });

  it('evaluation: each small class with its right count and interval', () => {
    const msg = evaluationSmallDataWarning(
      [
        { class: 'cat', support: 10 },
        { class: 'dog', support: 40 },
      ],
      [8, 39],
    );
    expect(msg).toBe(
      '1 class has fewer than 20 items here, so their figures will swing. ' +
        "Each class's accuracy with its 95% Wilson interval: cat 8/10 right (49%–94%).",
    );
    expect(evaluationSmallDataWarning([{ class: 'dog', support: 40 }], [30])).toBeNull();
    const two = evaluationSmallDataWarning(
      [
        { class: 'a', support: 2 },
        { class: 'b', support: 3 },
      ],
      [2, 0],
    );
    expect(two).toContain('2 classes have');
    expect(two).toContain('a 2/2 right (34%–100%); b 0/3 right (0%–56%).');
  });
});
