import { useEffect, useRef, useState } from 'react';
import { AUDIO_CLASSES } from '../../../src-shared/contract/index.js';
import { parseThreshold, thresholdOf } from '../../lib/audio/event-log.js';

type Label = (typeof AUDIO_CLASSES)[number];

/** Typing "0.75" passes through "0" and "0.": only the number it settles on is stored. */
const SETTLE_MS = 400;

/** One class's threshold: typed freely, stored once it reads as a number in 0…1. */
function ThresholdInput({
  label,
  value,
  onChange,
}: {
  readonly label: Label;
  readonly value: number;
  readonly onChange: (label: Label, value: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The stored value (read from the server, or its answer to a change) replaces the text.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(String(value));
  }
  useEffect(() => () => clearTimeout(timer.current), []);
  const valid = parseThreshold(text) !== null;
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        min={0}
        max={1}
        step={0.05}
        value={text}
        aria-invalid={!valid}
        data-testid={`threshold-${label}`}
        data-value={value}
        onChange={(e) => {
          setText(e.target.value);
          clearTimeout(timer.current);
          const v = parseThreshold(e.target.value);
          if (v !== null && v !== value)
            timer.current = setTimeout(() => onChange(label, v), SETTLE_MS);
        }}
      />
    </label>
  );
}

/**
 * The live stream's per-class thresholds, as `/api/stream/settings` stores them: the server sends
 * a verdict only when its confidence reaches its class's threshold.
 */
export function ThresholdInputs({
  thresholds,
  running,
  saving,
  onChange,
}: {
  readonly thresholds: Readonly<Record<string, number>>;
  readonly running: boolean;
  readonly saving: boolean;
  readonly onChange: (label: Label, value: number) => void;
}) {
  return (
    <>
      <div className="thresholds" data-testid="realtime-thresholds">
        {AUDIO_CLASSES.map((label) => (
          <ThresholdInput
            key={label}
            label={label}
            value={thresholdOf(thresholds, label)}
            onChange={onChange}
          />
        ))}
      </div>
      <p className="muted">
        {saving
          ? 'Saving…'
          : running
            ? 'Stored; a change applies when listening starts again.'
            : 'Stored on the workstation; applied when listening starts.'}
      </p>
    </>
  );
}
