import type { ClassificationResult } from './stream-messages.js';

/** One verdict of the live stream as the event log shows it. */
export interface LoggedVerdict {
  readonly id: number;
  readonly label: string;
  readonly confidence: number;
  readonly timestamp: string;
  /** Whether it cleared its class's threshold (below-threshold ones are shown dimmed). */
  readonly accepted: boolean;
  /** From the event's onset to the server's verdict, when the server said. */
  readonly latencyMs: number | null;
}

export const DEFAULT_THRESHOLD = 0.5;
export const LOG_LIMIT = 200;

/** The class's threshold, or the default for classes never set. */
export const thresholdOf = (thresholds: Readonly<Record<string, number>>, label: string): number =>
  thresholds[label] ?? DEFAULT_THRESHOLD;

export const passes = (
  result: Pick<ClassificationResult, 'predicted_label' | 'confidence'>,
  thresholds: Readonly<Record<string, number>>,
): boolean => result.confidence >= thresholdOf(thresholds, result.predicted_label);

/** Newest first, capped so a long session never grows the page without bound. */
export function appendVerdict(
  log: readonly LoggedVerdict[],
  result: ClassificationResult,
  thresholds: Readonly<Record<string, number>>,
  id: number,
): LoggedVerdict[] {
  const entry: LoggedVerdict = {
    id,
    label: result.predicted_label,
    confidence: result.confidence,
    timestamp: result.timestamp,
    accepted: passes(result, thresholds),
    latencyMs: typeof result.event?.latency_ms === 'number' ? result.event.latency_ms : null,
  };
  return [entry, ...log].slice(0, LOG_LIMIT);
}

/** A threshold typed by a person: a number in 0…1, or null for anything else. */
export function parseThreshold(text: string): number | null {
  const v = Number(text);
  return text.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 1 ? v : null;
}

/** "12:04:31.250" for an ISO time (or the text itself when it is not one). */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
