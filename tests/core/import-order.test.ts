// Import outcomes are posted in plan order whatever order the two lanes finish in: of two files
// with the same content the first posted is kept, so this order decides which one an import keeps.
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { mapInOrder } from '../../src-main/core/workspace/import/in-order.js';

interface Gate {
  readonly promise: Promise<string>;
  open(): void;
}

function gates(count: number): Gate[] {
  return Array.from({ length: count }, (_, i) => {
    let open!: () => void;
    const promise = new Promise<string>((resolve) => (open = () => resolve(`r${i}`)));
    return { promise, open };
  });
}

describe('mapInOrder', () => {
  it('emits in index order when later work finishes first, two at a time', async () => {
    const g = gates(4);
    const started: number[] = [];
    const emitted: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const run = mapInOrder(
      4,
      2,
      async (i) => {
        started.push(i);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        const r = await (g[i] as Gate).promise;
        inFlight--;
        return r;
      },
      (r, i) => emitted.push(`${i}:${r}`),
    );
    await tick();
    expect(started).toEqual([0, 1]);

    g[1]?.open(); // the second file finishes first: it must wait for the first
    await tick();
    expect(emitted).toEqual([]);
    expect(started).toEqual([0, 1, 2]);

    g[0]?.open();
    await tick();
    expect(emitted).toEqual(['0:r0', '1:r1']);

    g[3]?.open();
    await tick();
    expect(emitted).toEqual(['0:r0', '1:r1']);
    g[2]?.open();
    await run;
    expect(emitted).toEqual(['0:r0', '1:r1', '2:r2', '3:r3']);
    expect(maxInFlight).toBe(2);
  });

  it('starts nothing and emits nothing more once stopped', async () => {
    const g = gates(4);
    const started: number[] = [];
    const emitted: number[] = [];
    let stop = false;
    const run = mapInOrder(
      4,
      2,
      async (i) => {
        started.push(i);
        return (g[i] as Gate).promise;
      },
      (_r, i) => {
        emitted.push(i);
        stop = true;
      },
      () => stop,
    );
    g[0]?.open();
    await tick();
    g[1]?.open();
    await run;
    // 0 was emitted, which stopped the run: 1 was finished but is not emitted, 2 and 3 never start.
    expect(emitted).toEqual([0]);
    expect(started).toEqual([0, 1]);
  });
});
