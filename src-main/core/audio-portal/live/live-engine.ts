import type { AudioClass } from '../../../../src-shared/contract/index.js';
import type { AudioClassifier, Verdict } from '../classifier.js';
import type { OnsetOptions } from '../onsets.js';
import { RingBuffer } from './ring-buffer.js';
import { StreamResampler } from './stream-resampler.js';
import { StreamingOnsets } from './streaming-onsets.js';

export type Thresholds = Readonly<Record<AudioClass, number>>;

/** One verdict of the live stream: the classifier's answer about one acoustic event. */
export interface LiveVerdict {
  readonly verdict: Verdict;
  /** Seconds from the stream's first sample to the event's onset. */
  readonly onset: number;
  /** Audio from the onset to the end of the chunk that completed the verdict, plus the time
   * spent since that chunk arrived: what a listener waits after the tone starts, less transport. */
  readonly latencyMs: number;
}

export interface LiveEngineOptions {
  readonly classifier: AudioClassifier;
  readonly thresholds: Thresholds;
  readonly onsets?: OnsetOptions;
  /** Milliseconds clock for the latency figure; default performance.now. */
  readonly clock?: () => number;
}

/** Audio kept before an onset in the judged window: the attack itself must be in it. */
const PREROLL_SECONDS = 0.02;
/**
 * Re-judging an event this often until its first verdict is out; then, while its window fills,
 * every CONFIRM_HOP_SECONDS (a change of class still needs two judgements running); a full window
 * then slides by half. Each judgement runs all three families: fewer once the answer is out
 * keeps a live stream's CPU low.
 */
const EARLY_HOP_SECONDS = 0.05;
const CONFIRM_HOP_SECONDS = 0.2;
/**
 * An event is first judged once this much of it is in: the attack of a tone and a short blip
 * differ most after their first few tens of milliseconds, and the verdict still goes out well
 * within 150 ms of the onset.
 */
const FIRST_JUDGEMENT_SECONDS = 0.08;
/** Chunks are walked in blocks this long, so a long chunk's event is judged as early as a short one's. */
const BLOCK = 512;
/** Seconds of audio the ring holds beyond one window. */
const RING_SPARE_SECONDS = 2;

interface LiveEvent {
  readonly onset: number;
  lastJudged: number;
  sent: AudioClass | null;
  /** A different class seen once; sent when the next judgement agrees (no flicker). */
  candidate: AudioClass | null;
}

/**
 * The live stream's engine, one per stream and free of any transport: audio at any rate goes in
 * chunk by chunk, is resampled to the classifier's rate into a ring buffer and watched by the
 * streaming onset detector; each acoustic event is judged as soon as it is confirmed (a few
 * frames after its onset) on the audio from just before its onset, and re-judged with a short hop
 * as it goes on. A verdict goes out once per event, and again only when the class changes (seen
 * twice running); a verdict below its class's confidence threshold is never sent.
 */
export class LiveEngine {
  private classifier: AudioClassifier;
  private ring: RingBuffer;
  private onsets: StreamingOnsets;
  private readonly onsetOptions: OnsetOptions | undefined;
  /** Seconds of stream before the current ring began (a new model rate starts the ring over). */
  private origin = 0;
  private readonly clock: () => number;
  private resampler: StreamResampler | null = null;
  private event: LiveEvent | null = null;
  private thresholds: Thresholds;

  constructor(o: LiveEngineOptions) {
    this.classifier = o.classifier;
    this.thresholds = o.thresholds;
    this.clock = o.clock ?? (() => performance.now());
    this.onsetOptions = o.onsets;
    this.ring = ringFor(o.classifier);
    this.onsets = new StreamingOnsets(o.classifier.sampleRate, o.onsets);
  }

  /**
   * A newly trained model set takes over from the next chunk. At the same rate and window the
   * stream goes on untouched; otherwise its buffers start over (an event under way is dropped).
   */
  useClassifier(next: AudioClassifier): void {
    const prev = this.classifier;
    this.classifier = next;
    if (next.sampleRate === prev.sampleRate && next.windowSamples === prev.windowSamples) return;
    this.origin += this.ring.written / prev.sampleRate;
    this.ring = ringFor(next);
    this.onsets = new StreamingOnsets(next.sampleRate, this.onsetOptions);
    this.resampler = null;
    this.event = null;
  }

  setThresholds(t: Thresholds): void {
    this.thresholds = t;
  }

  /** Seconds of audio taken in so far (at the classifier's rate). */
  get seconds(): number {
    return this.origin + this.ring.written / this.classifier.sampleRate;
  }

  /** One chunk at `rate`; resolves with the verdicts it completed, in order. */
  async push(samples: Float32Array, rate: number): Promise<LiveVerdict[]> {
    const arrived = this.clock();
    // A client may switch devices mid-stream; only the filter starts over, positions go on.
    if (this.resampler?.from !== rate) {
      this.resampler = new StreamResampler(rate, this.classifier.sampleRate);
    }
    const audio = this.resampler.push(samples);
    const end = this.ring.written + audio.length;
    const out: LiveVerdict[] = [];
    for (let at = 0; at < audio.length; at += BLOCK) {
      const block = audio.subarray(at, Math.min(audio.length, at + BLOCK));
      this.ring.write(block);
      for (const signal of this.onsets.push(block)) {
        if (signal.kind === 'onset') {
          this.event = { onset: signal.sample, lastJudged: -Infinity, sent: null, candidate: null };
        } else {
          // An event over before its first judgement was due (a click) is judged as it ends.
          if (this.event?.lastJudged === -Infinity) await this.judge(this.event, out, arrived, end);
          this.event = null;
        }
      }
      const ev = this.event;
      if (ev && this.due(ev)) {
        await this.judge(ev, out, arrived, end);
      }
    }
    return out;
  }

  private due(ev: LiveEvent): boolean {
    const age = this.ring.written - ev.onset;
    if (ev.lastJudged === -Infinity) {
      return age >= FIRST_JUDGEMENT_SECONDS * this.classifier.sampleRate;
    }
    return this.ring.written - ev.lastJudged >= this.hopOf(ev);
  }

  private hopOf(ev: LiveEvent): number {
    const { sampleRate, windowSamples } = this.classifier;
    const filled = this.ring.written - ev.onset >= windowSamples;
    if (filled) return windowSamples / 2;
    return (ev.sent === null ? EARLY_HOP_SECONDS : CONFIRM_HOP_SECONDS) * sampleRate;
  }

  private async judge(
    ev: LiveEvent,
    out: LiveVerdict[],
    arrived: number,
    end: number,
  ): Promise<void> {
    const { sampleRate, windowSamples } = this.classifier;
    const now = this.ring.written;
    ev.lastJudged = now;
    const from = Math.max(ev.onset - Math.round(PREROLL_SECONDS * sampleRate), now - windowSamples);
    const verdict = await this.classifier.classify(this.ring.read(from, now));
    const label = verdict.predicted_label;
    if (verdict.confidence < this.thresholds[label]) {
      ev.candidate = null;
      return;
    }
    if (ev.sent === label) {
      ev.candidate = null;
      return;
    }
    if (ev.sent !== null && ev.candidate !== label) {
      ev.candidate = label;
      return;
    }
    ev.sent = label;
    ev.candidate = null;
    const audioMs = ((end - ev.onset) / sampleRate) * 1000;
    out.push({
      verdict,
      onset: this.origin + ev.onset / sampleRate,
      latencyMs: audioMs + (this.clock() - arrived),
    });
  }
}

function ringFor(c: AudioClassifier): RingBuffer {
  return new RingBuffer(c.windowSamples + Math.ceil(RING_SPARE_SECONDS * c.sampleRate));
}
