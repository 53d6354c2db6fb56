// socket.io-client helpers for the audio stream tests: connect, wait for one event, and play a
// recording in chunks the way a microphone client sends them (paced, a little faster than real
// time so the tests stay short).
import { io, type Socket } from 'socket.io-client';
import type { ClassificationResult } from '../../../src-shared/contract/index.js';
import type { DetectorRecording } from '../../fixtures/detector-recording.js';

/** How long an awaited event may take before the test fails with a message instead of hanging. */
const GIVE_UP_MS = 20_000;
/** Audio is sent this many times faster than it plays. */
const PACE = 3;

export function connect(url: string, opts: { transports?: string[] } = {}): Promise<Socket> {
  const s = io(url, { forceNew: true, reconnection: false, ...opts });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

export function nextEvent<T = unknown>(s: Socket, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event came`)), GIVE_UP_MS);
    s.once(event, (data: T) => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends the recording as `audio_data` chunks of `chunk` samples and collects the verdicts it
 * brings: until `expected` came, or (when fewer are expected to pass the thresholds) until the
 * stream has been quiet for a while after the last chunk. A stream_error fails it.
 */
export async function streamRecording(
  s: Socket,
  rec: DetectorRecording,
  chunk: number,
  expected = rec.events.length,
): Promise<ClassificationResult[]> {
  const results: ClassificationResult[] = [];
  let failure: unknown = null;
  const onResult = (r: ClassificationResult): void => void results.push(r);
  const onError = (e: unknown): void => {
    failure = e;
  };
  s.on('classification_result', onResult);
  s.on('stream_error', onError);
  try {
    const waitMs = ((chunk / rec.sampleRate) * 1000) / PACE;
    for (let at = 0; at < rec.samples.length; at += chunk) {
      s.emit('audio_data', {
        audio: Array.from(rec.samples.subarray(at, at + chunk)),
        sampleRate: rec.sampleRate,
      });
      await sleep(waitMs);
    }
    const settle = expected === rec.events.length ? GIVE_UP_MS : 1500;
    for (let waited = 0; results.length < expected && waited < settle; waited += 20) {
      if (failure) break;
      await sleep(20);
    }
    if (expected === rec.events.length) await sleep(100); // a stray extra verdict shows up
    if (failure) throw new Error(`stream_error: ${JSON.stringify(failure)}`);
    return results;
  } finally {
    s.off('classification_result', onResult);
    s.off('stream_error', onError);
  }
}

/** Polls `read` until `ok` holds (or gives up), returning the last value read. */
export async function until<T>(read: () => T, ok: (v: T) => boolean): Promise<T> {
  for (let waited = 0; waited < GIVE_UP_MS; waited += 20) {
    const v = read();
    if (ok(v)) return v;
    await sleep(20);
  }
  return read();
}
