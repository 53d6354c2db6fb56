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
  modelReadyFrom,
  portalProjectOf,
} from '../../src-renderer/lib/audio/portal-state.js';
import { formatRoute, parseRoute, routeFromLocation } from '../../src-renderer/lib/route.js';
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
  it('reads a family map with per-class maps and confusion matrices', () => {
    const p = readPerformance({
      classes: ['gold', 'iron', 'other'],
      families: {
        TRADITIONAL: {
          accuracy: 0.8,
          f1: { gold: 0.7, iron: 0.8, other: 0.9 },
          confusion_matrix: [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
        },
        CNN: { accuracy: 0.9, precision: [1, 0.5, 0.25], recall: { gold: 1 } },
      },
      agreement: { all: 0.75, CNN_TRANSFORMER: 0.9 },
    });
    expect(p.families.map((f) => f.family)).toEqual(['CNN', 'TRADITIONAL']);
    expect(p.families[0]!.perClass[1]).toEqual({
      label: 'iron',
      precision: 0.5,
      recall: null,
      f1: null,
    });
    expect(p.families[1]!.perClass[2]!.f1).toBe(0.9);
    expect(p.families[1]!.confusion).toHaveLength(3);
    expect(p.families[0]!.confusion).toBeNull();
    expect(p.agreement).toEqual([
      { name: 'all', value: 0.75 },
      { name: 'CNN_TRANSFORMER', value: 0.9 },
    ]);
  });

  it('reads families at the top level and classes from a per_class table', () => {
    const p = readPerformance({
      success: true,
      TRANSFORMER: { accuracy: 0.5, precision: { gold: 0.1, iron: 0.2 } },
      agreement: 0.6,
    });
    expect(p.classes).toEqual(['gold', 'iron']);
    expect(p.families[0]!.accuracy).toBe(0.5);
    expect(p.agreement).toEqual([{ name: 'All families', value: 0.6 }]);
    expect(readPerformance(null)).toEqual({ classes: [], families: [], agreement: [] });
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
  });
});

describe('portal state', () => {
  it('knows when there are models, and finds the portal project', () => {
    expect(modelReadyFrom({ status: 'completed' })).toBe(true);
    expect(modelReadyFrom({ status: 'idle' })).toBe(false);
    expect(modelReadyFrom({ status: 'running', models_loaded: true })).toBe(true);
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
