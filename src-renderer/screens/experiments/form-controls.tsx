import type { CSSProperties, ReactNode } from 'react';
import type { SelectOption } from '../../lib/device-options.js';
import type { DraftErrors, ExperimentDraft, FlagKey, TextKey } from '../../lib/experiment-draft.js';

/** The editor's draft with its errors and one setter, handed to every field. */
export interface DraftForm {
  readonly draft: ExperimentDraft;
  readonly errors: DraftErrors;
  set<K extends keyof ExperimentDraft>(key: K, value: ExperimentDraft[K]): void;
}

/** Test ids follow the config path: `exp-field-optimizer-learning_rate`. */
export const fieldTestId = (path: string): string => `exp-field-${path.replace(/\./g, '-')}`;

interface FieldShellProps {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string;
  readonly children: ReactNode;
  readonly wide?: boolean;
}

function FieldShell({ label, hint, error, children, wide }: FieldShellProps) {
  return (
    <label className={`field ${wide ? 'field-wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error !== undefined ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : (
        hint !== undefined && <span className="field-hint">{hint}</span>
      )}
    </label>
  );
}

interface TextFieldProps {
  readonly form: DraftForm;
  readonly path: TextKey;
  readonly label: string;
  readonly hint?: ReactNode;
  /** Numbers are typed as text (so "0." survives) and parsed on save. */
  readonly numeric?: boolean;
  readonly suffix?: string;
  readonly wide?: boolean;
}

export function TextField({ form, path, label, hint, numeric, suffix, wide }: TextFieldProps) {
  const error = form.errors[path];
  const input = (
    <input
      className={`input ${numeric ? 'mono' : ''} ${error ? 'invalid' : ''}`}
      inputMode={numeric ? 'decimal' : undefined}
      value={form.draft[path]}
      onChange={(e) => form.set(path, e.target.value)}
      aria-invalid={error !== undefined}
      data-testid={fieldTestId(path)}
    />
  );
  return (
    <FieldShell label={label} hint={hint} error={error} wide={wide}>
      {suffix === undefined ? (
        input
      ) : (
        <span className="input-suffix">
          {input}
          <span className="suffix">{suffix}</span>
        </span>
      )}
    </FieldShell>
  );
}

interface SelectFieldProps {
  readonly form: DraftForm;
  readonly path: TextKey;
  readonly label: string;
  readonly options: readonly SelectOption[];
  readonly hint?: ReactNode;
  readonly wide?: boolean;
}

export function SelectField({ form, path, label, options, hint, wide }: SelectFieldProps) {
  return (
    <FieldShell label={label} hint={hint} error={form.errors[path]} wide={wide}>
      <select
        className="input"
        value={form.draft[path]}
        // The draft's union types (optimizer name, schedule, …) hold exactly these options' values.
        onChange={(e) => form.set(path, e.target.value as ExperimentDraft[typeof path])}
        data-testid={fieldTestId(path)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled} title={o.reason}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface CheckFieldProps {
  readonly form: DraftForm;
  readonly path: FlagKey;
  readonly label: string;
  readonly hint?: string;
}

export function CheckField({ form, path, label, hint }: CheckFieldProps) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={form.draft[path]}
        onChange={(e) => form.set(path, e.target.checked)}
        data-testid={fieldTestId(path)}
      />
      <span>
        {label}
        {hint !== undefined && <span className="muted"> — {hint}</span>}
      </span>
    </label>
  );
}

interface SliderFieldProps {
  readonly form: DraftForm;
  readonly path: TextKey;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly format: (value: number) => string;
}

/** A range slider whose value is kept as text in the draft, like every other number. */
export function SliderField({ form, path, label, min, max, step, format }: SliderFieldProps) {
  const value = Number(form.draft[path]) || 0;
  // A stored value beyond the slider's usual range widens it instead of being clipped.
  const top = Math.max(max, value);
  const pct = top > min ? ((value - min) / (top - min)) * 100 : 0;
  return (
    <label className="slider-row aug-slider">
      <span className="slider-label">{label}</span>
      <input
        type="range"
        min={min}
        max={top}
        step={step}
        value={value}
        onChange={(e) => form.set(path, e.target.value)}
        style={{ '--fill': 'var(--accent)', '--pct': `${pct}%` } as CSSProperties}
        aria-label={label}
        data-testid={fieldTestId(path)}
      />
      <span className="slider-value">{format(value)}</span>
      {form.errors[path] !== undefined && (
        <span className="field-error slider-error">{form.errors[path]}</span>
      )}
    </label>
  );
}
