// The live engine's parts on generated detector audio: the chunked resampler equals the clip
// resampler, the ring buffer wraps, the streaming onset detector agrees with the clip detector,
// and the engine judges each event once, early, whatever the chunking, the rate and the thresholds.
import { describe, expect, it } from 'vitest';
import { GENERATED_RATE, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { LiveEngine, type LiveVerdict } from '../../src-main/core/audio-portal/live/live-engine.js';
import { RingBuffer } from '../../src-main/core/audio-portal/live/ring-buffer.js';
import { StreamResampler } from '../../src-main/core/audio-portal/live/stream-resampler.js';
import { StreamingOnsets } from '../../src-main/core/audio-portal/live/streaming-onsets.js';
import { detectOnsets } from '../../src-main/core/audio-portal/onsets.js';
import { resample } from '../../src-main/core/engine/features/resample.js';
import { mulberry32 } from '../../src-main/core/splits/prng.js';
import { bandEnergyClassifier, fixtureModels } from '../fixtures/band-energy-classifier.js';
import { LiveStreams } from '../../src-main/core/audio-portal/live/live-streams.js';
import { DEFAULT_STREAM_SETTINGS } from '../../src-main/core/audio-portal/live/stream-settings.js';
import type { AudioClassifier } from '../../src-main/core/audio-portal/classifier.js';
import { detectorRecording } from '../fixtures/detector-recording.js';

const HALF = { gold: 0.5, iron: 0.5, other: 0.5 };

function chunks(x: Float32Array, sizes: () => number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let at = 0; at < x.length;) {
    const n = sizes();
    out.push(x.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function play(
  engine: LiveEngine,
  x: Float32Array,
  rate: number,
  size: number,
): Promise<LiveVerdict[]> {
  const out: LiveVerdict[] = [];
  for (const c of chunks(x, () => size)) out.push(...(await engine.push(c, rate)));
  return out;
}

describe('StreamResampler', () => {
  it.each([
    [48_000, 22_050],
    [8_000, 22_050],
    [44_100, 16_000],
  ])('%i → %i in uneven chunks equals resample() of the whole clip', (from, to) => {
    const rnd = mulberry32(from);
    const x = Float32Array.from({ length: from }, (_, i) => Math.sin(i * 0.05) * 0.5 + rnd() * 0.1);
    const whole = resample(x, from, to);
    const r = new StreamResampler(from, to);
    const parts = chunks(x, () => 1 + Math.floor(rnd() * 3000)).map((c) => r.push(c));
    const joined = Float32Array.from(parts.flatMap((p) => Array.from(p)));
    // The stream holds back the last few samples until their taps' input has arrived.
    const held = Math.ceil(40 * Math.max(1, to / from));
    expect(joined.length).toBeLessThanOrEqual(whole.length);
    expect(joined.length).toBeGreaterThan(whole.length - held);
    let worst = 0;
    for (let i = 0; i < joined.length; i++)
      worst = Math.max(worst, Math.abs(joined[i]! - whole[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('RingBuffer', () => {
  it('reads back by absolute index across the wrap, and forgets the oldest', () => {
    const ring = new RingBuffer(10);
    ring.write(Float32Array.from([0, 1, 2, 3, 4, 5, 6]));
    ring.write(Float32Array.from([7, 8, 9, 10, 11, 12]));
    expect(ring.written).toBe(13);
    expect(Array.from(ring.read(5, 13))).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(ring.read(0, 5))).toEqual([3, 4]);
    ring.write(Float32Array.from({ length: 25 }, (_, i) => 13 + i));
    expect(Array.from(ring.read(30, 40))).toEqual([30, 31, 32, 33, 34, 35, 36, 37]);
  });
});

describe('StreamingOnsets', () => {
  it('finds the events the clip detector finds, at the same onsets, and no others', () => {
    for (const [seed, label] of [
      [1, 'gold'],
      [2, 'iron'],
      [3, 'other'],
      [4, 'none'],
    ] as const) {
      const clip = generateClip({ seed, label, seconds: 4, events: 3 });
      const batch = detectOnsets(clip.samples, GENERATED_RATE);
      const live = new StreamingOnsets(GENERATED_RATE);
      const found = chunks(clip.samples, () => 700)
        .flatMap((c) => live.push(c))
        .filter((s) => s.kind === 'onset')
        .map((s) => s.sample / GENERATED_RATE);
      const near = (t: number, ts: readonly number[]) => ts.some((u) => Math.abs(t - u) < 0.025);
      for (const e of batch)
        expect(near(e.onset, found), `${label} ${seed} @${e.onset}`).toBe(true);
      // Judged over the last seconds rather than the whole clip, the floor may reveal an event
      // the clip detector missed; never one that is not there.
      const truth = clip.events.map((e) => e.onset);
      for (const t of found) expect(near(t, truth), `${label} ${seed} @${t}`).toBe(true);
    }
  });
});

describe('LiveEngine', () => {
  const rec = detectorRecording(['gold', 'iron', 'other', 'gold', 'iron'], { seed: 21 });

  it('judges each event once, within 150 ms of audio after its onset', async () => {
    const engine = new LiveEngine({
      classifier: bandEnergyClassifier(),
      thresholds: HALF,
      clock: () => 0,
    });
    const got = await play(engine, rec.samples, rec.sampleRate, 256);
    expect(got.map((v) => v.verdict.predicted_label)).toEqual(rec.events.map((e) => e.label));
    for (const [i, v] of got.entries()) {
      expect(Math.abs(v.onset - rec.events[i]!.onset)).toBeLessThan(0.03);
      // With a zero clock the figure is audio alone: how much of the event had to be heard.
      expect(v.latencyMs).toBeLessThan(150);
    }
  });

  it('gives the same verdicts whatever the chunk size and the incoming rate', async () => {
    const labels = async (x: Float32Array, rate: number, size: number) =>
      (
        await play(
          new LiveEngine({ classifier: bandEnergyClassifier(), thresholds: HALF }),
          x,
          rate,
          size,
        )
      ).map((v) => `${v.verdict.predicted_label}@${v.onset.toFixed(1)}`);
    const reference = await labels(rec.samples, rec.sampleRate, 1024);
    expect(await labels(rec.samples, rec.sampleRate, rec.samples.length)).toEqual(reference);
    expect(await labels(rec.samples, rec.sampleRate, 128)).toEqual(reference);
    const at48k = resample(rec.samples, GENERATED_RATE, 48_000);
    expect(await labels(at48k, 48_000, 4096)).toEqual(reference);
  });

  it('sends no verdict under its class threshold, and takes new thresholds at once', async () => {
    const engine = new LiveEngine({
      classifier: bandEnergyClassifier(),
      thresholds: { ...HALF, gold: 0.95 },
    });
    const half = Math.floor(rec.samples.length / 2);
    const first = await play(engine, rec.samples.subarray(0, half), rec.sampleRate, 512);
    expect(first.map((v) => v.verdict.predicted_label)).toEqual(['iron', 'other']);
    engine.setThresholds(HALF);
    const rest = await play(engine, rec.samples.subarray(half), rec.sampleRate, 512);
    expect(rest.map((v) => v.verdict.predicted_label)).toEqual(['gold', 'iron']);
  });

  it('speaks again within one event only when its class changes', async () => {
    // A long gold tone that turns into an iron grunt with no gap: one acoustic event.
    const gold = generateClip({
      seed: 31,
      label: 'gold',
      seconds: 2,
      events: 1,
      sweepSpeed: 0.3,
      noise: 0.2,
      mineralisation: 0,
      emi: false,
      depth: 0,
    });
    const iron = generateClip({
      seed: 32,
      label: 'iron',
      seconds: 2,
      events: 1,
      sweepSpeed: 0.3,
      noise: 0.2,
      mineralisation: 0,
      emi: false,
      depth: 0,
    });
    const g = gold.events[0]!;
    const i = iron.events[0]!;
    const tone = gold.samples.subarray(
      Math.round(g.onset * GENERATED_RATE),
      Math.round((g.offset - 0.05) * GENERATED_RATE),
    );
    const grunt = iron.samples.subarray(
      Math.round((i.onset + 0.05) * GENERATED_RATE),
      Math.round(i.offset * GENERATED_RATE),
    );
    const lead = gold.samples.subarray(0, Math.round(g.onset * GENERATED_RATE));
    const x = new Float32Array(lead.length + tone.length + grunt.length + lead.length);
    x.set(lead);
    x.set(tone, lead.length);
    x.set(grunt, lead.length + tone.length);
    x.set(lead, lead.length + tone.length + grunt.length);
    const got = await play(
      new LiveEngine({ classifier: bandEnergyClassifier(), thresholds: HALF }),
      x,
      GENERATED_RATE,
      512,
    );
    expect(got.map((v) => v.verdict.predicted_label)).toEqual(['gold', 'iron']);
    expect(got[0]!.onset).toBe(got[1]!.onset);
  });
});

describe('LiveStreams', () => {
  it('hands a newly trained model set to running streams, from their next chunk', async () => {
    const models = fixtureModels();
    const settings = {
      get: () => DEFAULT_STREAM_SETTINGS,
      update: () => Promise.reject(new Error('not here')),
      onChange: () => () => undefined,
    };
    const streams = new LiveStreams({ models, settings, now: () => new Date(0) });
    const heard: string[] = [];
    const client = streams.attach({
      send: (event, data) => {
        if (event === 'classification_result') {
          heard.push((data as { predicted_label: string }).predicted_label);
        }
      },
    });
    await client.start();
    const gold = detectorRecording(['gold'], { seed: 41 });
    const play = async () => {
      for (let at = 0; at < gold.samples.length; at += 1024) {
        await client.audio({
          audio: Array.from(gold.samples.subarray(at, at + 1024)),
          sampleRate: GENERATED_RATE,
        });
      }
    };
    await play();
    // "Retrained": a model set at another rate that hears everything as iron.
    const base = bandEnergyClassifier(16_000);
    const iron: AudioClassifier = {
      ...base,
      classify: async (x) => ({ ...(await base.classify(x)), predicted_label: 'iron' }),
    };
    models.use(iron);
    await new Promise((r) => setTimeout(r, 10));
    await play();
    expect(heard).toEqual(['gold', 'iron']);
    client.close();
    streams.close();
  });
});
