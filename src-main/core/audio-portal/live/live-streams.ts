import type {
  AudioChunk,
  ClassThresholds,
  ClassificationResult,
} from '../../../../src-shared/contract/index.js';
import { AppError } from '../../errors.js';
import type { AudioModels, AudioTrainingEvents } from '../classifier.js';
import { LiveEngine, type LiveVerdict, type Thresholds } from './live-engine.js';
import type { StreamSettingsStore } from './stream-settings.js';

/** Server events of the stream (api-reference/audio-portal.md), by name. */
export type LiveEventName =
  | 'stream_started'
  | 'stream_stopped'
  | 'classification_result'
  | 'training_update'
  | 'stream_error';

/** Whoever listens: a Socket.IO client, an IPC subscription. */
export interface LiveSink {
  send(event: LiveEventName, data: unknown): void;
}

/** One listener's stream, as its transport drives it. */
export interface LiveClient {
  /** Throws (conflict) while no model is trained. Restarting a running stream starts it over. */
  start(settings?: { thresholds?: ClassThresholds | undefined } | null): Promise<void>;
  /** Resolves once the chunk was judged; throws before start and while far behind. */
  audio(chunk: AudioChunk): Promise<void>;
  /** Harmless when not streaming. */
  stop(): void;
  /** The listener went away: its stream ends, it hears no more broadcasts. */
  close(): void;
}

export interface LiveStreamsDeps {
  readonly models: AudioModels;
  readonly training?: AudioTrainingEvents;
  readonly settings: StreamSettingsStore;
  readonly now: () => Date;
}

/** Audio a client may have queued for judging before its chunks are refused (seconds). */
const MAX_BEHIND_SECONDS = 5;

export const NO_MODEL_MESSAGE =
  "No model is trained yet: train the audio portal's models (POST /api/training/start), then " +
  'start the stream again';

/** The `classification_result` body of one verdict. */
export function resultOf(
  v: LiveVerdict,
  source: ClassificationResult['source'],
  now: Date,
): ClassificationResult {
  return {
    predicted_label: v.verdict.predicted_label,
    confidence: v.verdict.confidence,
    timestamp: now.toISOString(),
    all_probabilities: { ...v.verdict.all_probabilities },
    model_votes: { ...v.verdict.model_votes },
    event: { onset: v.onset, latency_ms: v.latencyMs },
    source,
  };
}

/**
 * Every listener of the live stream: each has its own session (engine, queue, thresholds), and
 * all of them hear the broadcasts (`training_update`, the recorder's verdicts).
 */
export class LiveStreams {
  private readonly sinks = new Set<LiveSink>();
  /** Engines of running streams (clients' and the recorder's), to hand a new model set to. */
  private readonly engines = new Set<LiveEngine>();
  private readonly stopTraining: () => void;
  private readonly stopModels: () => void;

  constructor(private readonly deps: LiveStreamsDeps) {
    this.stopTraining =
      deps.training?.onUpdate((u) => this.broadcast('training_update', u)) ?? noop;
    this.stopModels = deps.models.onChange(() => void this.swapModels());
  }

  /** Streams keep running across a training run: their next chunk is judged by the new models. */
  private async swapModels(): Promise<void> {
    const next = await this.deps.models.current().catch(() => null);
    if (!next) return;
    for (const e of this.engines) e.useClassifier(next);
  }

  /** The engine's stream ended: it no longer follows model changes. */
  release(engine: LiveEngine | null): void {
    if (engine) this.engines.delete(engine);
  }

  get listeners(): number {
    return this.sinks.size;
  }

  broadcast(event: LiveEventName, data: unknown): void {
    for (const sink of this.sinks) sink.send(event, data);
  }

  /** The thresholds a stream starts with: the stored defaults, then the stream's own. */
  thresholds(own?: ClassThresholds): Thresholds {
    return { ...this.deps.settings.get().thresholds, ...own };
  }

  /** Whether a model set is trained (streams can start). */
  async trained(): Promise<boolean> {
    return (await this.deps.models.current()) !== null;
  }

  /** A ready engine over the current model set; conflict while none is trained. */
  async engine(own?: ClassThresholds): Promise<LiveEngine> {
    const classifier = await this.deps.models.current();
    if (!classifier) throw new AppError('conflict', NO_MODEL_MESSAGE);
    const engine = new LiveEngine({ classifier, thresholds: this.thresholds(own) });
    this.engines.add(engine);
    return engine;
  }

  attach(sink: LiveSink): LiveClient {
    this.sinks.add(sink);
    let engine: LiveEngine | null = null;
    let queue: Promise<unknown> = Promise.resolve();
    let queuedSeconds = 0;
    const { now } = this.deps;
    return {
      start: async (settings) => {
        this.release(engine);
        engine = null;
        engine = await this.engine(settings?.thresholds ?? undefined);
      },
      audio: (chunk) => {
        const mine = engine;
        if (!mine) {
          return Promise.reject(
            new AppError('conflict', 'audio_data before start_stream: send start_stream first'),
          );
        }
        const seconds = chunk.audio.length / chunk.sampleRate;
        if (queuedSeconds + seconds > MAX_BEHIND_SECONDS) {
          return Promise.reject(
            new AppError(
              'conflict',
              `the stream is more than ${MAX_BEHIND_SECONDS} s behind; this chunk was dropped ` +
                '(send audio no faster than it is recorded)',
            ),
          );
        }
        queuedSeconds += seconds;
        const samples = Float32Array.from(chunk.audio);
        const run = queue.then(async () => {
          try {
            const verdicts = await mine.push(samples, chunk.sampleRate);
            // A verdict of a stream stopped (or restarted) meanwhile is no longer wanted.
            if (engine !== mine || !this.sinks.has(sink)) return;
            for (const v of verdicts)
              sink.send('classification_result', resultOf(v, 'client', now()));
          } finally {
            queuedSeconds -= seconds;
          }
        });
        queue = run.catch(noop);
        return run;
      },
      stop: () => {
        this.release(engine);
        engine = null;
      },
      close: () => {
        this.release(engine);
        engine = null;
        this.sinks.delete(sink);
      },
    };
  }

  close(): void {
    this.stopTraining();
    this.stopModels();
    this.engines.clear();
    this.sinks.clear();
  }
}

function noop(): void {}
