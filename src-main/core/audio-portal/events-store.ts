import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AudioEvent } from '../../../src-shared/contract/audio-portal.js';
import type { WorkspaceLayout } from '../workspace/layout.js';
import { writeFileAtomic } from '../workspace/atomic-write.js';

/**
 * The acoustic events of a project's clips, keyed by content hash (blobs are content-addressed,
 * so a clip's events never change): found once, at upload or on first use, and kept in
 * `<project>/audio-portal/events.json`. Decoding a clip again per request would make
 * /api/dataset/info slow in the size of the dataset.
 */
export interface EventsStore {
  get(projectId: string, hash: string): Promise<readonly AudioEvent[] | undefined>;
  put(projectId: string, hash: string, events: readonly AudioEvent[]): Promise<void>;
}

type Table = Record<string, readonly AudioEvent[]>;

export function eventsStore(layout: WorkspaceLayout): EventsStore {
  const tables = new Map<string, Table>();
  let writing: Promise<unknown> = Promise.resolve();
  const file = (id: string): string =>
    path.join(layout.projectDir(id), 'audio-portal', 'events.json');

  async function load(id: string): Promise<Table> {
    const cached = tables.get(id);
    if (cached) return cached;
    let table: Table = {};
    try {
      const parsed: unknown = JSON.parse(await readFile(file(id), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null) table = parsed as Table;
    } catch {
      // Missing or unreadable: every clip's events are found again on first use.
    }
    tables.set(id, table);
    return table;
  }

  return {
    async get(id, hash) {
      return (await load(id))[hash];
    },
    async put(id, hash, events) {
      const table = await load(id);
      table[hash] = events;
      // Writes one after another, each the whole table: the last one holds every entry.
      const next = writing.then(async () => {
        await mkdir(path.dirname(file(id)), { recursive: true });
        await writeFileAtomic(file(id), `${JSON.stringify(table)}\n`);
      });
      writing = next.catch(() => undefined);
      await next;
    },
  };
}
