import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSettlePoller, upsertBy } from '../../src-renderer/stores/settle-poller.js';

interface Job {
  readonly id: string;
  readonly done: boolean;
}

describe('createSettlePoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A project's jobs; `finishAfter` polls each reports done. */
  function harness(finishAfter: Record<string, number>) {
    let jobs: Job[] = Object.keys(finishAfter).map((id) => ({ id, done: false }));
    let open = 'p1';
    const calls: string[] = [];
    const poller = createSettlePoller<Job>({
      intervalMs: 100,
      pending: () => jobs.filter((j) => !j.done),
      refresh: async (projectId, j) => {
        calls.push(`${projectId}:${j.id}`);
        finishAfter[j.id] = (finishAfter[j.id] as number) - 1;
        if (j.id === 'flaky' && finishAfter[j.id] === 1) throw new Error('network');
        return { id: j.id, done: (finishAfter[j.id] as number) <= 0 };
      },
      isCurrent: (projectId) => projectId === open,
      onFresh: (fresh) => (jobs = upsertBy(jobs, fresh, (j) => j.id)),
    });
    return {
      poller,
      calls,
      jobs: () => jobs,
      switchTo: (p: string) => (open = p),
    };
  }

  it('polls each unsettled item every interval until all have settled, then stops', async () => {
    const h = harness({ a: 1, b: 3, flaky: 3 });
    h.poller.start('p1');
    expect(h.calls).toEqual([]); // nothing before the first interval
    await vi.advanceTimersByTimeAsync(100);
    expect(h.calls).toEqual(['p1:a', 'p1:b', 'p1:flaky']);
    await vi.advanceTimersByTimeAsync(100);
    // a settled; b and flaky polled again (flaky's failure is retried, not fatal)
    expect(h.calls.slice(3)).toEqual(['p1:b', 'p1:flaky']);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.jobs().every((j) => j.done)).toBe(true);
    const n = h.calls.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.calls.length).toBe(n);
  });

  it('stops on stop() and drops answers once another project is open', async () => {
    const h = harness({ a: 5 });
    h.poller.start('p1');
    await vi.advanceTimersByTimeAsync(100);
    h.poller.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(h.calls).toEqual(['p1:a']);

    h.poller.start('p1');
    h.switchTo('p2');
    await vi.advanceTimersByTimeAsync(100);
    expect(h.calls).toEqual(['p1:a', 'p1:a']);
    expect(h.jobs()[0]?.done).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(h.calls.length).toBe(2); // no further round for a project no longer open
  });

  it('upsertBy replaces by key or prepends', () => {
    const list = [
      { id: 'a', done: false },
      { id: 'b', done: false },
    ];
    expect(upsertBy(list, { id: 'b', done: true }, (j) => j.id)).toEqual([
      { id: 'a', done: false },
      { id: 'b', done: true },
    ]);
    expect(upsertBy(list, { id: 'c', done: false }, (j) => j.id).map((j) => j.id)).toEqual([
      'c',
      'a',
      'b',
    ]);
  });
});
