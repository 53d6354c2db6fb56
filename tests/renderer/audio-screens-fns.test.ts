import { describe, expect, it } from 'vitest';
import {
  confusionTrace,
  curveTraces,
  distributionTraces,
  mergeCurves,
} from '../../src-renderer/lib/audio/audio-traces.js';
import {
  LOG_LIMIT,
  appendVerdict,
  parseThreshold,
  passes,
} from '../../src-renderer/lib/audio/event-log.js';
import { readPerformance } from '../../src-renderer/lib/audio/performance.js';
import { dispatchStreamEvent } from '../../src-renderer/lib/audio/stream-messages.js';
import {
  etaText,
  isTrainingActive,
  modelReadyFrom,
  portalProjectOf,
} from '../../src-renderer/lib/audio/portal-state.js';
import { formatRoute, parseRoute, routeFromLocation } from '../../src-renderer/lib/route.js';
import { AudioModelPerformance } from '../../src-shared/contract/audio-models.js';
import type { Project } from '../../src-shared/contract/projects.js';

const result = (label: string, confidence: number) => ({
  predicted_label: label,
  confidence,
  timestamp: '2026-01-01T10:00:00.000Z',
  all_probabilities: { [label]: confidence },
});

describe('audio routes', () => {
  it('maps the reference pages to the audio screens, and / to home', () => {
    expect(routeFromLocation('/classify', '')).toEqual({
      screen: 'audio-classify',
      projectId: null,
    });
    expect(routeFromLocation('/training/', '')).toEqual({
      screen: 'audio-training',
      projectId: null,
    });
    expect(routeFromLocation('/', '')).toEqual({ screen: 'projects', projectId: null });
    // A hash wins: a reload of /#/audio/realtime stays there.
    expect(routeFromLocation('/classify', '#/system').screen).toBe('system');
  });

  it('round-trips every audio screen through the hash, refusing bad ones', () => {
    for (const s of ['classify', 'realtime', 'analytics', 'dataset', 'training']) {
      const r = parseRoute(`#/audio/${s}`);
      expect(r.screen).toBe(`audio-${s}`);
      expect(formatRoute(r)).toBe(`#/audio/${s}`);
    }
    expect(parseRoute('#/audio/nothing').screen).toBe('not-found');
    expect(parseRoute('#/audio').screen).toBe('not-found');
    expect(parseRoute('#/audio/classify/extra').screen).toBe('not-found');
  });
});

describe('event log and thresholds', () => {
  it('keeps newest first, marks below-threshold verdicts, and caps its length', () => {
    let log = appendVerdict([], result('gold', 0.9), { gold: 0.8 }, 1);
    log = appendVerdict(log, result('iron', 0.4), {}, 2);
    expect(log.map((e) => [e.label, e.accepted])).toEqual([
      ['iron', false],
      ['gold', true],
    ]);
    expect(log[0]!.latencyMs).toBeNull();
    const timed = { ...result('gold', 0.9), event: { onset: 1.5, latency_ms: 42.5 } };
    expect(appendVerdict(log, timed, {}, 9)[0]!.latencyMs).toBe(42.5);
    for (let i = 0; i < LOG_LIMIT + 5; i++) log = appendVerdict(log, result('other', 1), {}, 3 + i);
    expect(log).toHaveLength(LOG_LIMIT);
    expect(passes(result('gold', 0.5), {})).toBe(true);
    expect(passes(result('gold', 0.5), { gold: 0.51 })).toBe(false);
  });

  it('accepts thresholds in 0…1 only', () => {
    expect(parseThreshold('0.75')).toBe(0.75);
    expect(parseThreshold('1')).toBe(1);
    for (const bad of ['', ' ', '1.2', '-0.1', 'abc', 'NaN'])
      expect(parseThreshold(bad)).toBeNull();
  });
});

describe('model performance', () => {
  const scores = (accuracy: number, diag: number) => ({
    accuracy,
    macro_f1: accuracy - 0.05,
    per_class: {
      gold: { precision: 1, recall: 0.5, f1: 0.667, support: 2 },
      iron: { precision: 0.5, recall: 1, f1: 0.667, support: 1 },
    },
    confusion_matrix: [
      [diag, 2 - diag],
      [0, 1],
    ],
  });

  it('lays out the families in the reference order, then the vote, with weights and agreement', () => {
    // Checked against the contract, so the test reads what the endpoint really returns.
    const p = readPerformance(
      AudioModelPerformance.parse({
        success: true,
        trained_at: '2026-01-01T00:00:00.000Z',
        evaluated_on: 'test',
        classes: ['gold', 'iron'],
        clips: 3,
        families: { TRADITIONAL: scores(0.6, 1), CNN: scores(0.9, 2) },
        vote: scores(0.95, 2),
        weights: { CNN: 0.7, TRADITIONAL: 0.3 },
        agreement: { 'CNN/TRADITIONAL': 0.75 },
      }),
    );
    expect(p.families.map((f) => f.family)).toEqual(['CNN', 'TRADITIONAL', 'VOTE']);
    expect(p.families.map((f) => f.weight)).toEqual([0.7, 0.3, null]);
    expect(p.families[0]!.perClass[1]).toEqual({
      label: 'iron',
      precision: 0.5,
      recall: 1,
      f1: 0.667,
      support: 1,
    });
    expect(p.families[1]!.confusion).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(p.agreement).toEqual([{ name: 'CNN/TRADITIONAL', value: 0.75 }]);
    expect(p.clips).toBe(3);
    // A class the family never scored reads as zeros on the shared class order.
    const q = readPerformance(
      AudioModelPerformance.parse({
        success: true,
        trained_at: '2026-01-01T00:00:00.000Z',
        evaluated_on: 'val',
        classes: ['gold', 'iron', 'other'],
        clips: 3,
        families: { TRANSFORMER: scores(0.5, 1) },
        vote: scores(0.5, 1),
        weights: { TRANSFORMER: 1 },
        agreement: {},
      }),
    );
    expect(q.families[0]!.perClass[2]).toEqual({
      label: 'other',
      precision: 0,
      recall: 0,
      f1: 0,
      support: 0,
    });
  });
});

describe('audio traces', () => {
  it('compares class counts before and after on the same categories', () => {
    const [before, after] = distributionTraces(
      { gold: 4, iron: 2 },
      { gold: 4, iron: 4, other: 4 },
    );
    expect(before!.x).toEqual(['gold', 'iron', 'other']);
    expect(before!.y).toEqual([4, 2, 0]);
    expect(after!.y).toEqual([4, 4, 4]);
  });

  it('draws the confusion matrix with the first class on top', () => {
    const t = confusionTrace(
      ['gold', 'iron'],
      [
        [5, 1],
        [2, 7],
      ],
    );
    expect(t.y).toEqual(['iron', 'gold']);
    expect(t.z).toEqual([
      [2, 7],
      [5, 1],
    ]);
    expect(t.x).toEqual(['gold', 'iron']);
  });

  it('folds per-family metrics into curves, by epoch, or from a history', () => {
    let h = mergeCurves(
      {},
      { CNN: { epoch: 1, loss: 1.2, accuracy: 0.4 }, TRADITIONAL: { accuracy: 0.8 } },
    );
    h = mergeCurves(h, { CNN: { epoch: 2, loss: 0.9, val_loss: 1.0 } });
    h = mergeCurves(h, { CNN: { epoch: 2, loss: 0.8 } });
    h = mergeCurves(h, {
      TRANSFORMER: { history: [{ epoch: 1, loss: 2 }, { epoch: 2, loss: 1.5 }, 'junk'] },
    });
    expect(h.CNN!.map((p) => [p.epoch, p.loss])).toEqual([
      [1, 1.2],
      [2, 0.8],
    ]);
    expect(h.TRADITIONAL).toBeUndefined();
    expect(h.TRANSFORMER!.map((p) => p.loss)).toEqual([2, 1.5]);
    const traces = curveTraces(h, 'loss');
    expect(traces.map((t) => t.name)).toEqual(['CNN loss', 'TRANSFORMER loss']);
    // The forest reports epochs without a loss: no empty line for it.
    const forest = mergeCurves(h, {
      TRADITIONAL: { epoch: 1, loss: null, accuracy: null, val_loss: null, val_accuracy: null },
    });
    expect(forest.TRADITIONAL).toHaveLength(1);
    expect(curveTraces(forest, 'loss').map((t) => t.name)).not.toContain('TRADITIONAL loss');
  });
});

describe('portal state', () => {
  it('knows when there are models, and finds the portal project', () => {
    expect(modelReadyFrom({ status: 'completed' })).toBe(true);
    expect(modelReadyFrom({ status: 'idle' })).toBe(false);
    expect(modelReadyFrom({ status: 'training' })).toBe(false);
    expect(isTrainingActive('training')).toBe(true);
    expect(isTrainingActive('completed')).toBe(false);
    const p = (name: string, task: Project['task']): Project => ({
      id: `proj-0000000${name.length}`,
      name,
      task,
      created_at: '',
      updated_at: '',
      item_count: 0,
      class_count: 0,
      split_count: 0,
    });
    expect(
      portalProjectOf([
        p('Cats', 'classification'),
        p('Mine', 'audio-classification'),
        p('Audio portal', 'audio-classification'),
      ])?.name,
    ).toBe('Audio portal');
    expect(portalProjectOf([p('Cats', 'classification')])).toBeNull();
    expect(etaText(65)).toBe('1 min 05 s left');
    expect(etaText(null)).toBeNull();
  });
});

describe('stream events', () => {
  it('hands each documented event to its handler and drops malformed ones', () => {
    const seen: string[] = [];
    const handlers = {
      onStarted: () => seen.push('started'),
      onStopped: () => seen.push('stopped'),
      onResult: (r: { predicted_label: string }) => seen.push(`result ${r.predicted_label}`),
      onError: (m: string) => seen.push(`error ${m}`),
      onTrainingUpdate: (u: { progress: number }) => seen.push(`training ${u.progress}`),
    };
    dispatchStreamEvent(handlers, {
      event: 'stream_started',
      data: { message: 'Audio streaming started' },
    });
    dispatchStreamEvent(handlers, { event: 'classification_result', data: result('gold', 0.9) });
    dispatchStreamEvent(handlers, {
      event: 'classification_result',
      data: { predicted_label: 'gold' },
    });
    dispatchStreamEvent(handlers, { event: 'classification_result', data: null });
    dispatchStreamEvent(handlers, {
      event: 'training_update',
      data: { progress: 0.5, status: 'running', metrics: {} },
    });
    dispatchStreamEvent(handlers, {
      event: 'stream_error',
      data: { error: 'audio_data before start_stream' },
    });
    dispatchStreamEvent(handlers, { event: 'stream_error', data: 'bad' });
    dispatchStreamEvent(handlers, { event: 'something_else', data: {} });
    dispatchStreamEvent(handlers, { event: 'stream_stopped', data: {} });
    expect(seen).toEqual([
      'started',
      'result gold',
      'training 0.5',
      'error audio_data before start_stream',
      'error The stream refused the audio',
      'stopped',
    ]);
  });
});
