import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import recordLpcm16, { type Recording } from 'node-record-lpcm16';
import type { AudioStreamSettings, RecorderStatus } from '../../../../src-shared/contract/index.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../services/logger.js';
import type { LiveEngine } from './live-engine.js';
import { resultOf, type LiveStreams } from './live-streams.js';
import type { StreamSettingsStore } from './stream-settings.js';

type RecorderConfig = AudioStreamSettings['recorder'];

export interface RecorderDeps {
  readonly streams: LiveStreams;
  readonly settings: StreamSettingsStore;
  readonly now: () => Date;
  readonly logger: Logger;
  /** The PATH the recorder program is looked up on (the one it is then started from). */
  readonly searchPath: () => string | undefined;
  readonly platform?: NodeJS.Platform;
}

const INSTALL_HINT: Readonly<Record<RecorderConfig['program'], string>> = {
  sox: 'install SoX (Debian: apt-get install sox; macOS: brew install sox)',
  rec: 'install SoX, which provides rec (Debian: apt-get install sox)',
  arecord: 'install the ALSA utilities (Debian: apt-get install alsa-utils)',
};
/** Audio the recorder may have waiting to be judged before chunks are dropped (seconds). */
const MAX_BEHIND_SECONDS = 5;

/** The program's path on `searchPath`, or null. */
export function findProgram(
  name: string,
  searchPath: string | undefined,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const names = platform === 'win32' ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const full = path.join(dir, n);
      try {
        accessSync(full, constants.X_OK);
        return full;
      } catch {
        // not here
      }
    }
  }
  return null;
}

interface Running {
  readonly recording: Recording;
  readonly engine: LiveEngine;
  stopping: boolean;
}

/**
 * The main-process recorder: `node-record-lpcm16` running sox, rec or arecord for lab machines
 * without a browser microphone. Its 16-bit PCM feeds a live engine like any client's chunks, and
 * its verdicts go to every listener of the stream (`source: "recorder"`).
 */
export class LiveRecorder {
  private running: Running | null = null;
  private config: RecorderConfig;
  private startedAt: Date | null = null;
  private samples = 0;
  private verdicts = 0;
  private lastError: string | null = null;
  private readonly unwatch: () => void;

  constructor(private readonly deps: RecorderDeps) {
    this.config = deps.settings.get().recorder;
    this.unwatch = deps.settings.onChange(() => {
      this.running?.engine.setThresholds(deps.streams.thresholds());
    });
  }

  status(): RecorderStatus {
    return {
      running: this.running !== null,
      program: this.config.program,
      device: this.config.device,
      sample_rate: this.config.sample_rate,
      started_at: this.startedAt?.toISOString() ?? null,
      seconds: this.samples / this.config.sample_rate,
      verdicts: this.verdicts,
      last_error: this.lastError,
    };
  }

  async start(overrides: Partial<RecorderConfig>): Promise<RecorderStatus> {
    if (this.running) {
      throw new AppError('conflict', 'the recorder is already running; stop it first');
    }
    const config: RecorderConfig = { ...this.deps.settings.get().recorder, ...overrides };
    if (!findProgram(config.program, this.deps.searchPath(), this.deps.platform)) {
      throw new AppError(
        'unprocessable',
        `the recorder program "${config.program}" was not found on PATH: ` +
          `${INSTALL_HINT[config.program]}, or choose another program in the stream settings`,
      );
    }
    const engine = await this.deps.streams.engine();
    if (this.running) {
      this.deps.streams.release(engine);
      throw new AppError('conflict', 'the recorder is already running');
    }
    const recording = recordLpcm16.record({
      recorder: config.program,
      sampleRate: config.sample_rate,
      channels: 1,
      audioType: 'raw',
      ...(config.device ? { device: config.device } : {}),
    });
    const run: Running = { recording, engine, stopping: false };
    this.running = run;
    this.config = config;
    this.startedAt = this.deps.now();
    this.samples = 0;
    this.verdicts = 0;
    this.lastError = null;
    this.listen(run, config.sample_rate);
    return this.status();
  }

  private listen(run: Running, rate: number): void {
    const { recording, engine } = run;
    const stderr: string[] = [];
    let rest: Buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    recording.process.stderr?.on('data', (d: Buffer) => {
      stderr.push(d.toString('utf8'));
      if (stderr.length > 20) stderr.shift();
    });
    // The library reports a failed exit as an 'error' on the stream; `close` below says it.
    recording.stream().on('error', () => undefined);
    recording.stream().on('data', (chunk: Buffer | string) => {
      const bytes = Buffer.concat([
        rest,
        typeof chunk === 'string' ? Buffer.from(chunk, 'binary') : chunk,
      ]);
      const whole = bytes.length - (bytes.length % 2);
      rest = bytes.subarray(whole);
      const samples = new Float32Array(whole / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2) / 32768;
      this.samples += samples.length;
      if (queued + samples.length > MAX_BEHIND_SECONDS * rate) return;
      queued += samples.length;
      queue = queue.then(async () => {
        try {
          for (const v of await engine.push(samples, rate)) {
            // Audio still queued when the program ends on its own is judged; after stop it is not.
            if (run.stopping) return;
            this.verdicts++;
            this.deps.streams.broadcast(
              'classification_result',
              resultOf(v, 'recorder', this.deps.now()),
            );
          }
        } catch (err) {
          this.deps.logger.error({ err }, 'the recorder stream could not be judged');
        } finally {
          queued -= samples.length;
        }
      });
    });
    const ended = (why: string | null): void => {
      if (this.running !== run) return;
      this.running = null;
      this.deps.streams.release(run.engine);
      if (run.stopping || why === null) return;
      this.lastError = why;
      this.deps.streams.broadcast('stream_error', { success: false, error: `recorder: ${why}` });
    };
    recording.process.once('error', (err) =>
      ended(`${this.config.program} could not start: ${err.message}`),
    );
    recording.process.once('close', (code, signal) => {
      const tail = stderr.join('').trim().split('\n').slice(-3).join(' ');
      if (code === 0) return ended(null);
      const how = code === null ? `signal ${signal ?? '?'}` : `exit code ${code}`;
      ended(`${this.config.program} ended (${how})${tail ? `: ${tail}` : ''}`);
    });
  }

  /** Harmless when it is not running. */
  stop(): RecorderStatus {
    const run = this.running;
    if (run) {
      run.stopping = true;
      this.running = null;
      this.deps.streams.release(run.engine);
      run.recording.process.kill();
    }
    return this.status();
  }

  close(): void {
    this.unwatch();
    this.stop();
  }
}
