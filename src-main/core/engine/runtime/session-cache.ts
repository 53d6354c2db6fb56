import type * as Ort from 'onnxruntime-node';
import { AppError } from '../../errors.js';
import type { ModelVersion } from './model-version.js';
import { loadOrt } from './ort.js';

/** onnxruntime's thread pools: intra-op (within an operator) and inter-op (between operators). */
export interface RuntimeThreads {
  readonly intraOpNumThreads: number;
  readonly interOpNumThreads: number;
}

export interface SessionCacheOptions {
  /** Sessions kept open at most (least recently used closed first). */
  readonly capacity?: number;
  readonly threads?: Partial<RuntimeThreads>;
}

const checkThreads = (n: number, what: string): number => {
  if (!Number.isInteger(n) || n < 0 || n > 256) {
    throw new AppError(
      'bad_request',
      `${what} must be an integer from 0 (onnxruntime's default) to 256`,
    );
  }
  return n;
};

interface Entry {
  readonly loading: Promise<Ort.InferenceSession>;
  users: number;
  /** Evicted while in use: released when the last user is done. */
  evicted: boolean;
  /** Set once onnxruntime has the session open: what `loaded` counts. */
  loaded: boolean;
  readonly version: LoadedSession;
}

/** A session the cache holds open. */
export interface LoadedSession {
  readonly id: string;
  readonly sha256: string;
  readonly onnx_path: string;
}

/**
 * Open onnxruntime sessions keyed by model version id and file hash (a version whose file
 * changed gets a new session), least recently used closed first. Concurrent first uses share one
 * load; a failed load is not cached, so the next call tries again. A session is only released
 * once no `use` call is running on it.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;
  private threadSettings: RuntimeThreads;

  constructor(opts: SessionCacheOptions = {}) {
    this.capacity = Math.max(1, opts.capacity ?? 4);
    this.threadSettings = {
      intraOpNumThreads: checkThreads(opts.threads?.intraOpNumThreads ?? 0, 'intraOpNumThreads'),
      interOpNumThreads: checkThreads(opts.threads?.interOpNumThreads ?? 0, 'interOpNumThreads'),
    };
  }

  get threads(): RuntimeThreads {
    return this.threadSettings;
  }

  /** New settings apply to sessions opened afterwards: the open ones are closed. */
  async setThreads(threads: Partial<RuntimeThreads>): Promise<RuntimeThreads> {
    this.threadSettings = {
      intraOpNumThreads: checkThreads(
        threads.intraOpNumThreads ?? this.threadSettings.intraOpNumThreads,
        'intraOpNumThreads',
      ),
      interOpNumThreads: checkThreads(
        threads.interOpNumThreads ?? this.threadSettings.interOpNumThreads,
        'interOpNumThreads',
      ),
    };
    await this.close();
    return this.threadSettings;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sessions open now (a load in progress or one that failed is not one), oldest use first. */
  loaded(): readonly LoadedSession[] {
    return [...this.entries.values()].filter((e) => e.loaded).map((e) => e.version);
  }

  /** Runs `fn` with the version's session (opened on first use). */
  async use<T>(
    version: Pick<ModelVersion, 'id' | 'sha256' | 'onnx_path'>,
    fn: (session: Ort.InferenceSession) => Promise<T>,
  ): Promise<T> {
    const entry = this.entry(version);
    entry.users++;
    try {
      return await fn(await entry.loading);
    } finally {
      entry.users--;
      if (entry.evicted && entry.users === 0) await release(entry);
    }
  }

  private entry(version: Pick<ModelVersion, 'id' | 'sha256' | 'onnx_path'>): Entry {
    const key = `${version.id}:${version.sha256}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    for (const k of [...this.entries.keys()]) {
      if (k.startsWith(`${version.id}:`)) void this.drop(k);
    }
    const { intraOpNumThreads, interOpNumThreads } = this.threadSettings;
    const loading = loadOrt()
      .then((ort) =>
        ort.InferenceSession.create(version.onnx_path, {
          ...(intraOpNumThreads ? { intraOpNumThreads } : {}),
          ...(interOpNumThreads ? { interOpNumThreads } : {}),
          graphOptimizationLevel: 'all',
        }),
      )
      .then(
        (session) => {
          entry.loaded = true;
          return session;
        },
        (err: unknown) => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
          throw new AppError(
            'unprocessable',
            `model ${version.id} cannot be loaded: ${(err as Error).message.split('\n')[0]}`,
          );
        },
      );
    const entry: Entry = {
      loading,
      users: 0,
      evicted: false,
      loaded: false,
      version: { id: version.id, sha256: version.sha256, onnx_path: version.onnx_path },
    };
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      void this.drop(this.entries.keys().next().value as string);
    }
    return entry;
  }

  /** Closes the sessions of one version (after it is deleted). */
  async evict(id: string): Promise<void> {
    const keys = [...this.entries.keys()].filter((k) => k.startsWith(`${id}:`));
    await Promise.all(keys.map((k) => this.drop(k)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.drop(k)));
  }

  private async drop(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry) return;
    entry.evicted = true;
    entry.loaded = false;
    if (entry.users === 0) await release(entry);
  }
}

async function release(entry: Entry): Promise<void> {
  try {
    await (await entry.loading).release();
  } catch {
    // A session that failed to load has nothing to release.
  }
}
