import type { ReactNode } from 'react';
import type { Devices, SplitSummary, Task } from '../../../src-shared/contract/index.js';
import { assertNever } from '../../lib/assert-never.js';
import { splitLabel } from '../../../src-shared/format/metric-names.js';
import { backendOptions, cpuCores, deviceOptions } from '../../lib/device-options.js';
import {
  ARCHITECTURE_LABELS,
  architecturesFor,
  inputKindFor,
  monitorOptions,
} from '../../lib/experiment-draft.js';
import { METRIC_SHORT_LABELS } from '../../lib/training-traces.js';
import {
  CheckField,
  SelectField,
  SliderField,
  TextField,
  type DraftForm,
} from './form-controls.js';

const opt = (value: string, label: string) => ({ value, label, disabled: false });

function Section({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <fieldset className="editor-section" data-testid={testId}>
      <legend>{title}</legend>
      <div className="editor-grid">{children}</div>
    </fieldset>
  );
}

export function ModelSection({
  form,
  task,
  splits,
}: {
  form: DraftForm;
  task: Task;
  splits: readonly SplitSummary[];
}) {
  const splitOptions = splits.map((s) =>
    opt(
      String(s.split_index),
      `${splitLabel(s.split_index, s.name)} (${s.stats.train} train / ${s.stats.val} val)`,
    ),
  );
  // A split deleted since the experiment was saved still shows, marked, so nothing changes silently.
  if (!splits.some((s) => String(s.split_index) === form.draft.split_index)) {
    splitOptions.push({
      value: form.draft.split_index,
      label:
        form.draft.split_index === ''
          ? 'its split was deleted: choose another'
          : `${splitLabel(Number(form.draft.split_index))} (missing)`,
      disabled: true,
    });
  }
  return (
    <Section title="Model" testId="editor-model">
      <TextField form={form} path="name" label="Name" wide />
      <SelectField form={form} path="split_index" label="Split" options={splitOptions} wide />
      <SelectField
        form={form}
        path="architecture"
        label="Architecture"
        options={architecturesFor(task).map((a) => opt(a, ARCHITECTURE_LABELS[a]))}
        wide
      />
      {form.draft.architecture === 'mobilenet-lite' && (
        <TextField
          form={form}
          path="width_multiplier"
          label="Width multiplier"
          numeric
          hint="channels × this"
        />
      )}
      <TextField form={form} path="dropout" label="Dropout" numeric hint="0 – 0.9" />
    </Section>
  );
}

export function InputSection({ form, task }: { form: DraftForm; task: Task }) {
  const kind = inputKindFor(task);
  switch (kind) {
    case 'image':
      return (
        <Section title="Input" testId="editor-input">
          <TextField form={form} path="input.width" label="Width" numeric suffix="px" />
          <TextField form={form} path="input.height" label="Height" numeric suffix="px" />
          <SelectField
            form={form}
            path="input.channels"
            label="Colour"
            options={[opt('3', 'RGB'), opt('1', 'Greyscale')]}
          />
        </Section>
      );
    case 'audio':
      return (
        <Section title="Audio front end (log-mel spectrogram)" testId="editor-input">
          <TextField form={form} path="input.sample_rate" label="Sample rate" numeric suffix="Hz" />
          <TextField
            form={form}
            path="input.clip_seconds"
            label="Clip length"
            numeric
            suffix="s"
            hint="padded or cut to this"
          />
          <TextField form={form} path="input.n_mels" label="Mel bands" numeric />
          <TextField form={form} path="input.window_ms" label="Window" numeric suffix="ms" />
          <TextField form={form} path="input.hop_ms" label="Hop" numeric suffix="ms" />
        </Section>
      );
    case 'table':
      return (
        <Section title="Network" testId="editor-input">
          <TextField
            form={form}
            path="hidden_layers"
            label="Hidden layers"
            hint='units per layer, e.g. "64, 32"'
            wide
          />
        </Section>
      );
    default:
      return assertNever(kind);
  }
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;

export function AugmentationSection({ form, task }: { form: DraftForm; task: Task }) {
  const kind = inputKindFor(task);
  if (kind === 'table') {
    return (
      <Section title="Augmentation" testId="editor-augmentation">
        <p className="muted small field-wide">Tables are not augmented.</p>
      </Section>
    );
  }
  return (
    <Section title="Augmentation" testId="editor-augmentation">
      <div className="field-wide aug-list">
        {kind === 'image' ? (
          <>
            <div className="aug-checks">
              <CheckField form={form} path="augmentation.flip_horizontal" label="Flip left–right" />
              <CheckField form={form} path="augmentation.flip_vertical" label="Flip upside down" />
            </div>
            <SliderField
              form={form}
              path="augmentation.rotation_degrees"
              label="Rotation"
              min={0}
              max={45}
              step={1}
              format={(v) => `±${v}°`}
            />
            <SliderField
              form={form}
              path="augmentation.crop_fraction"
              label="Random crop"
              min={0}
              max={0.5}
              step={0.01}
              format={pct}
            />
            <SliderField
              form={form}
              path="augmentation.brightness"
              label="Brightness"
              min={0}
              max={1}
              step={0.01}
              format={(v) => `±${pct(v)}`}
            />
          </>
        ) : (
          <>
            <SliderField
              form={form}
              path="augmentation.time_shift_fraction"
              label="Time shift"
              min={0}
              max={0.5}
              step={0.01}
              format={pct}
            />
            <SliderField
              form={form}
              path="augmentation.gain_db"
              label="Gain"
              min={0}
              max={24}
              step={0.5}
              format={(v) => `±${v} dB`}
            />
            <SliderField
              form={form}
              path="augmentation.noise_level"
              label="Added noise"
              min={0}
              max={0.1}
              step={0.001}
              format={(v) => v.toFixed(3)}
            />
          </>
        )}
      </div>
    </Section>
  );
}

export function OptimiserSection({ form }: { form: DraftForm }) {
  const schedule = form.draft['lr_schedule.type'];
  return (
    <Section title="Optimiser" testId="editor-optimiser">
      <SelectField
        form={form}
        path="optimizer.name"
        label="Optimiser"
        options={[opt('adam', 'Adam'), opt('sgd', 'SGD')]}
      />
      <TextField form={form} path="optimizer.learning_rate" label="Learning rate" numeric />
      {form.draft['optimizer.name'] === 'sgd' && (
        <TextField form={form} path="optimizer.momentum" label="Momentum" numeric />
      )}
      <SelectField
        form={form}
        path="lr_schedule.type"
        label="Schedule"
        options={[
          opt('constant', 'Constant'),
          opt('step', 'Step decay'),
          opt('exponential', 'Exponential decay'),
          opt('cosine', 'Cosine annealing'),
        ]}
      />
      {schedule === 'step' && (
        <TextField
          form={form}
          path="lr_schedule.step_epochs"
          label="Every"
          numeric
          suffix="epochs"
        />
      )}
      {(schedule === 'step' || schedule === 'exponential') && (
        <TextField form={form} path="lr_schedule.gamma" label="Factor (gamma)" numeric />
      )}
      {schedule === 'cosine' && (
        <TextField form={form} path="lr_schedule.min_learning_rate" label="Minimum rate" numeric />
      )}
      <TextField
        form={form}
        path="lr_schedule.warmup_epochs"
        label="Warm-up"
        numeric
        suffix="epochs"
      />
    </Section>
  );
}

export function TrainingSection({ form, task }: { form: DraftForm; task: Task }) {
  const metrics = monitorOptions(task).map((m) => opt(m, METRIC_SHORT_LABELS[m] ?? m));
  const classifier = inputKindFor(task) !== 'table';
  return (
    <>
      <Section title="Training" testId="editor-training">
        <TextField form={form} path="epochs" label="Epochs" numeric />
        <TextField form={form} path="batch_size" label="Batch size" numeric />
        <TextField form={form} path="seed" label="Seed" numeric hint="same seed, same run" />
        {classifier && (
          <SelectField
            form={form}
            path="class_weights"
            label="Class weights"
            options={[
              opt('none', 'None'),
              opt('balanced', 'Balanced'),
              { value: 'custom', label: 'Per class (set through the API)', disabled: true },
            ]}
          />
        )}
        <SelectField form={form} path="best_metric" label="Best checkpoint by" options={metrics} />
      </Section>
      <Section title="Early stopping" testId="editor-early-stopping">
        <div className="field-wide">
          <CheckField
            form={form}
            path="early_stopping.enabled"
            label="Stop when the monitored metric stops improving"
          />
        </div>
        {form.draft['early_stopping.enabled'] && (
          <>
            <SelectField
              form={form}
              path="early_stopping.monitor"
              label="Monitor"
              options={metrics}
            />
            <TextField
              form={form}
              path="early_stopping.patience"
              label="Patience"
              numeric
              suffix="epochs"
            />
            <TextField
              form={form}
              path="early_stopping.min_delta"
              label="Min. improvement"
              numeric
            />
          </>
        )}
      </Section>
    </>
  );
}

export function DeviceSection({ form, devices }: { form: DraftForm; devices: Devices | null }) {
  const backend = form.draft.backend;
  const cores = cpuCores(devices);
  return (
    <Section title="Where it trains" testId="editor-device">
      <SelectField
        form={form}
        path="backend"
        label="Backend"
        options={backendOptions(devices, backend)}
        wide
      />
      <SelectField
        form={form}
        path="device"
        label="Device"
        options={deviceOptions(devices, backend, form.draft.device)}
      />
      <TextField
        form={form}
        path="threads"
        label="Threads"
        numeric
        hint={`data-parallel workers, 1 – ${cores}`}
      />
    </Section>
  );
}
