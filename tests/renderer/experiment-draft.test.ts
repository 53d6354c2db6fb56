import { describe, expect, it } from 'vitest';
import type { Devices } from '../../src-shared/contract/system.js';
import { configSummary } from '../../src-renderer/lib/config-summary.js';
import { backendOptions, cpuCores, deviceOptions } from '../../src-renderer/lib/device-options.js';
import {
  architecturesFor,
  draftFromExperiment,
  draftToInput,
  monitorOptions,
} from '../../src-renderer/lib/experiment-draft.js';
import { formatRoute, parseRoute } from '../../src-renderer/lib/route.js';
import { experiment, imageConfig } from './training-fixtures.js';

describe('experiment draft', () => {
  it('round-trips a resolved config into the same request', () => {
    const draft = draftFromExperiment(experiment);
    expect(draft['input.width']).toBe('32');
    expect(draft['augmentation.flip_horizontal']).toBe(true);
    const result = draftToInput(draft, 'image');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.name).toBe('baseline');
    expect(result.value.split_index).toBe(0);
    const c = result.value.config;
    expect(c.input).toEqual({ width: 32, height: 32, channels: 3 });
    expect(c.epochs).toBe(20);
    expect(c.optimizer).toEqual({ name: 'adam', learning_rate: 0.001 });
    // Image projects send image settings only: no audio augmentation, no MLP layers.
    expect(c.augmentation).toEqual({
      flip_horizontal: true,
      flip_vertical: false,
      rotation_degrees: 10,
      crop_fraction: 0.1,
      brightness: 0.1,
    });
    expect(c.hidden_layers).toBeUndefined();
    expect(c.width_multiplier).toBeUndefined();
    expect(c.early_stopping).toEqual({
      enabled: true,
      monitor: 'val_loss',
      patience: 5,
      min_delta: 0,
    });
  });

  it('reports bad numbers under their own field, with the contract’s limits', () => {
    const draft = {
      ...draftFromExperiment(experiment),
      'input.width': '4',
      epochs: '-3',
      'optimizer.learning_rate': 'fast',
      name: '  ',
    };
    const result = draftToInput(draft, 'image');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['epochs', 'input.width', 'name', 'optimizer.learning_rate'].sort(),
    );
    expect(result.errors['optimizer.learning_rate']).toBe('Enter a number.');
    expect(result.errors['input.width']).toMatch(/8/);
  });

  it('sends the settings of the chosen options only', () => {
    const sgd = draftToInput(
      {
        ...draftFromExperiment(experiment),
        'optimizer.name': 'sgd',
        'lr_schedule.type': 'step',
        'early_stopping.enabled': false,
        architecture: 'mobilenet-lite',
      },
      'image',
    );
    expect(sgd.ok && sgd.value.config.optimizer).toEqual({
      name: 'sgd',
      learning_rate: 0.001,
      momentum: 0.9,
    });
    expect(sgd.ok && sgd.value.config.lr_schedule).toEqual({
      type: 'step',
      warmup_epochs: 0,
      step_epochs: 10,
      gamma: 0.5,
    });
    expect(sgd.ok && sgd.value.config.early_stopping).toEqual({ enabled: false });
    expect(sgd.ok && sgd.value.config.width_multiplier).toBe(1);
  });

  it('handles audio and tabular projects', () => {
    const audio = draftFromExperiment({
      ...experiment,
      config: {
        ...imageConfig,
        architecture: 'audio-cnn',
        input: { sample_rate: 16000, clip_seconds: 1, n_mels: 40, window_ms: 25, hop_ms: 10 },
      },
    });
    const a = draftToInput({ ...audio, 'input.n_mels': '512' }, 'audio');
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.errors['input.n_mels']).toBeDefined();
    const ok = draftToInput(audio, 'audio');
    expect(ok.ok && ok.value.config.input).toEqual({
      sample_rate: 16000,
      clip_seconds: 1,
      n_mels: 40,
      window_ms: 25,
      hop_ms: 10,
    });
    expect(ok.ok && Object.keys(ok.value.config.augmentation ?? {})).toEqual([
      'time_shift_fraction',
      'gain_db',
      'noise_level',
    ]);

    const table = draftFromExperiment({
      ...experiment,
      config: { ...imageConfig, architecture: 'mlp', input: {}, hidden_layers: [64, 32] },
    });
    expect(table.hidden_layers).toBe('64, 32');
    const t = draftToInput({ ...table, hidden_layers: '128 64,16' }, 'table');
    expect(t.ok && t.value.config.hidden_layers).toEqual([128, 64, 16]);
    expect(t.ok && t.value.config.input).toBeUndefined();
    expect(t.ok && t.value.config.class_weights).toBeUndefined();
    const bad = draftToInput({ ...table, hidden_layers: '64, x' }, 'table');
    expect(!bad.ok && bad.errors.hidden_layers).toMatch(/whole numbers/);
  });

  it('offers the architectures and metrics of the task', () => {
    expect(architecturesFor('classification')).toEqual([
      'mobilenet-v2-transfer',
      'small-cnn',
      'mobilenet-lite',
    ]);
    expect(architecturesFor('inspection')[0]).toBe('mobilenet-v2-transfer');
    expect(architecturesFor('wake-word')).toEqual(['audio-cnn']);
    expect(architecturesFor('regression')).toEqual(['mlp']);
    expect(monitorOptions('regression')).toContain('val_mae');
    expect(monitorOptions('classification')).toContain('val_accuracy');
  });
});

const devices: Devices = {
  devices: [
    { id: 'cpu', name: 'Test CPU', type: 'cpu', cores: 2 },
    { id: 'gpu:0', name: 'Test GPU', type: 'gpu' },
  ],
  cuda_available: false,
  cuda_version: null,
  default_selected: ['cpu'],
  backends: [
    { name: 'tensorflow-gpu', package: 'p', available: false, devices: [], reason: 'no driver' },
    { name: 'tensorflow', package: 'p', available: false, devices: [], reason: 'not installed' },
    { name: 'wasm', package: 'p', available: true, devices: ['cpu'], reason: null },
    { name: 'cpu', package: 'p', available: true, devices: ['cpu'], reason: null },
    { name: 'onnxruntime', package: 'p', available: true, devices: ['cpu'], reason: null },
  ],
};

describe('backend and device choices', () => {
  it('lists training backends, only the available ones selectable', () => {
    const opts = backendOptions(devices, 'auto');
    expect(opts.map((o) => o.value)).toEqual([
      'auto',
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
    ]);
    expect(opts.filter((o) => !o.disabled).map((o) => o.value)).toEqual(['auto', 'wasm', 'cpu']);
    expect(opts.find((o) => o.value === 'tensorflow')?.reason).toBe('not installed');
    expect(backendOptions(null, 'auto').map((o) => o.value)).toEqual(['auto']);
  });

  it('offers devices that fit the backend; a GPU without a working backend is not selectable', () => {
    expect(deviceOptions(devices, 'wasm', 'auto').map((o) => o.value)).toEqual(['auto', 'cpu']);
    const auto = deviceOptions(devices, 'auto', 'auto');
    expect(auto.map((o) => o.value)).toEqual(['auto', 'cpu', 'gpu:0']);
    expect(auto.find((o) => o.value === 'gpu:0')?.disabled).toBe(true);
    const withGpu: Devices = {
      ...devices,
      backends: devices.backends.map((b) =>
        b.name === 'tensorflow-gpu'
          ? { ...b, available: true, devices: ['gpu:0'], reason: null }
          : b,
      ),
    };
    const gpu = deviceOptions(withGpu, 'tensorflow-gpu', 'auto');
    expect(gpu.map((o) => [o.value, o.disabled])).toEqual([
      ['auto', false],
      ['gpu:0', false],
    ]);
    expect(cpuCores(devices)).toBe(2);
    expect(cpuCores(null)).toBe(1);
  });
});

describe('config summary', () => {
  it('says what a run trained with and where it actually ran', () => {
    const rows = configSummary(imageConfig, 'classification', { backend: 'wasm', device: 'cpu' });
    const get = (label: string) => rows.find((r) => r.label === label)?.value;
    expect(get('Input')).toBe('32 × 32 px, RGB');
    expect(get('Epochs × batch')).toBe('20 × 32');
    expect(get('Runs on')).toBe('wasm on cpu (asked: auto, auto)');
    expect(get('Augmentation')).toContain('flip left–right');
    expect(get('Early stopping')).toBe('validation loss, patience 5');
  });
});

describe('training routes', () => {
  it('round-trips experiment and run detail routes; malformed ids are not-found', () => {
    const exp = {
      screen: 'experiments',
      projectId: 'proj-0a1b2c3d',
      detail: 'exp-01234567',
    } as const;
    expect(parseRoute(formatRoute(exp))).toEqual(exp);
    const r = { screen: 'runs', projectId: 'proj-0a1b2c3d', detail: 'run-89abcdef' } as const;
    expect(formatRoute(r)).toBe('#/projects/proj-0a1b2c3d/runs/run-89abcdef');
    expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(parseRoute('#/projects/proj-0a1b2c3d/runs')).toEqual({
      screen: 'runs',
      projectId: 'proj-0a1b2c3d',
    });
    expect(parseRoute('#/projects/proj-0a1b2c3d/runs/../../x').screen).toBe('not-found');
    expect(parseRoute('#/projects/proj-0a1b2c3d/runs/exp-01234567')).toEqual({
      screen: 'not-found',
      projectId: null,
    });
  });
});
