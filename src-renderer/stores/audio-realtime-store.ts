import { create } from 'zustand';
import type { AudioStreamSettings } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import {
  connectAudioStream,
  type AudioStreamConnection,
  type ClassificationResult,
} from '../client/audio-stream.js';
import { SampleChunker, audioDataMessage, chunkSizeFor } from '../lib/audio/chunker.js';
import { appendVerdict, passes, type LoggedVerdict } from '../lib/audio/event-log.js';
import { SILENCE_DB, chunkLevel, fallingLevel, type Level } from '../lib/audio/level-meter.js';
import {
  listInputDevices,
  microphoneError,
  openMicrophone,
  type InputDevice,
  type OpenMicrophone,
} from '../lib/audio/microphone.js';
import { frameDb } from '../lib/audio/spectrogram.js';
import { errorMessage } from '../lib/errors.js';

/** Chunks of about 100 ms: the server slides its own window; this only paces the messages. */
const CHUNK_MS = 100;
const FFT_SIZE = 1024;
const SPECTRUM_COLUMNS = 240;
const WAVE_POINTS = 400;

interface AudioRealtimeStore {
  readonly phase: 'idle' | 'starting' | 'running' | 'stopping';
  readonly error: string | null;
  readonly devices: readonly InputDevice[];
  readonly deviceId: string | null;
  readonly deviceLabel: string | null;
  readonly sampleRate: number | null;
  readonly level: Level;
  /** The meter's needle (falls slowly after a loud chunk). */
  readonly shownDb: number;
  readonly clipping: boolean;
  /** The latest verdict that cleared its class's threshold. */
  readonly verdict: ClassificationResult | null;
  /** The latest probabilities, whatever their confidence. */
  readonly probabilities: Readonly<Record<string, number>> | null;
  readonly log: readonly LoggedVerdict[];
  /** Per class, as the server stores them (`/api/stream/settings`) and applies them. */
  readonly thresholds: Readonly<Record<string, number>>;
  /** Whether the stored thresholds were read (until then the inputs show the defaults). */
  readonly thresholdsLoaded: boolean;
  readonly savingThresholds: boolean;
  readonly columns: readonly Float32Array[];
  /** The last few seconds as one min/max pair per worklet block, for the live waveform. */
  readonly wave: readonly (readonly [number, number])[];
  loadDevices(): Promise<void>;
  /** Reads the stream's stored thresholds. */
  loadSettings(): Promise<void>;
  setDevice(deviceId: string | null): void;
  /** Stores one class's threshold on the server; a running stream gets it at its next start. */
  setThreshold(label: keyof AudioStreamSettings['thresholds'], value: number): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const useAudioRealtimeStore = create<AudioRealtimeStore>()((set, get) => {
  let connection: AudioStreamConnection | null = null;
  let mic: OpenMicrophone | null = null;
  let lastBlockAt = 0;
  let verdictId = 0;

  const teardown = async (): Promise<void> => {
    const m = mic;
    mic = null;
    await m?.stop();
    connection?.stop();
    connection?.close();
    connection = null;
  };

  const onResult = (result: ClassificationResult): void => {
    const { thresholds, log } = get();
    set({
      probabilities: result.all_probabilities,
      log: appendVerdict(log, result, thresholds, ++verdictId),
      ...(passes(result, thresholds) ? { verdict: result } : {}),
    });
  };

  const onBlock = (block: Float32Array, chunker: SampleChunker): void => {
    chunker.push(block);
    const now = performance.now();
    const level = chunkLevel(block);
    const s = get();
    let lo = 0;
    let hi = 0;
    for (const v of block) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const wave = [...s.wave, [lo, hi] as const].slice(-WAVE_POINTS);
    set({
      level,
      shownDb: fallingLevel(s.shownDb, level.rmsDb, (now - lastBlockAt) / 1000),
      clipping: level.peakDb > -0.1,
      columns: [...s.columns, frameDb(block, FFT_SIZE).subarray(0, 256)].slice(-SPECTRUM_COLUMNS),
      wave,
    });
    lastBlockAt = now;
  };

  return {
    phase: 'idle',
    error: null,
    devices: [],
    deviceId: null,
    deviceLabel: null,
    sampleRate: null,
    level: { rmsDb: SILENCE_DB, peakDb: SILENCE_DB },
    shownDb: SILENCE_DB,
    clipping: false,
    verdict: null,
    probabilities: null,
    log: [],
    thresholds: {},
    thresholdsLoaded: false,
    savingThresholds: false,
    columns: [],
    wave: [],

    async loadDevices() {
      try {
        set({ devices: await listInputDevices() });
      } catch {
        set({ devices: [] });
      }
    },
    async loadSettings() {
      try {
        const settings = await client.audioStreamSettings({});
        set({ thresholds: settings.thresholds, thresholdsLoaded: true });
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    setDevice: (deviceId) => set({ deviceId }),
    async setThreshold(label, value) {
      // Shown at once; the server's answer (the stored settings) then has the last word.
      set({ thresholds: { ...get().thresholds, [label]: value }, savingThresholds: true });
      try {
        const settings = await client.updateAudioStreamSettings({
          thresholds: { [label]: value },
        });
        set({ thresholds: settings.thresholds, error: null });
      } catch (err) {
        set({ error: errorMessage(err) });
      } finally {
        set({ savingThresholds: false });
      }
    },

    async start() {
      if (get().phase !== 'idle') return;
      set({ phase: 'starting', error: null, verdict: null, probabilities: null });
      connection = connectAudioStream({
        onStarted: () => set({ phase: get().phase === 'starting' ? 'running' : get().phase }),
        onResult,
        onError: (message) => set({ error: message }),
        onDisconnect: () => {
          if (get().phase === 'running') set({ error: 'The connection to the server was lost.' });
        },
      });
      // The stream applies these (the stored ones, or those set on this screen meanwhile).
      connection.start(get().thresholdsLoaded ? get().thresholds : undefined);
      try {
        let chunker: SampleChunker | null = null;
        mic = await openMicrophone(get().deviceId, (block, rate) => {
          chunker ??= new SampleChunker(chunkSizeFor(rate, CHUNK_MS), (chunk) =>
            connection?.send(audioDataMessage(chunk, rate)),
          );
          onBlock(block, chunker);
        });
        set({ phase: 'running', sampleRate: mic.sampleRate, deviceLabel: mic.deviceLabel });
        // Labels are readable only once the microphone is granted.
        void get().loadDevices();
      } catch (err) {
        await teardown();
        set({ phase: 'idle', error: microphoneError(err) });
      }
    },

    async stop() {
      if (get().phase === 'idle') return;
      set({ phase: 'stopping' });
      await teardown();
      set({ phase: 'idle', level: { rmsDb: SILENCE_DB, peakDb: SILENCE_DB }, shownDb: SILENCE_DB });
    },
  };
});
