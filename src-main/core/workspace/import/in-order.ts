/**
 * Runs `work(0)`, `work(1)`, … `work(count - 1)` with up to `concurrency` calls in flight, and hands
 * each result to `emit` in index order, whatever order they finish in. An import needs this: of two
 * files with the same content the first one the main thread records is kept and the other counted
 * as a duplicate, so which one wins must follow the plan, not which decoder happened to finish
 * first. `work` is called in index order too, so anything it decides before its first `await`
 * (a taken name, say) is decided in plan order as well.
 *
 * Once `stopped()` is true no new work starts and nothing more is emitted. Results that finish
 * early wait in memory for their turn; they are small records, one per file.
 */
export async function mapInOrder<T>(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<T>,
  emit: (result: T, index: number) => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  const finished = new Map<number, T>();
  let started = 0;
  let emitted = 0;
  const lane = async (): Promise<void> => {
    while (started < count && !stopped()) {
      const index = started++;
      finished.set(index, await work(index));
      while (finished.has(emitted) && !stopped()) {
        const result = finished.get(emitted) as T;
        finished.delete(emitted);
        emit(result, emitted++);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
}
