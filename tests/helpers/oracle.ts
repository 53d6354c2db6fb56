/**
 * Test oracles: outside programs a test checks the app against (the ONNX checker, scikit-learn,
 * an audio encoder, espeak-ng). Locally a missing one skips what needs it, saying why and what to
 * install. Under CI it fails the run instead: `.ci/run` installs every oracle, so a skip there
 * would hide the very check the test exists for. The only skips CI allows are listed in
 * `CI_EXEMPT`, each with the reason no CI machine can have it.
 */
import { execFileSync } from 'node:child_process';

/** Whether this is a CI run (`CI` set to anything but empty, 0 or false). */
export function isCi(): boolean {
  const v = (process.env['CI'] ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

export interface Oracle<T> {
  readonly name: string;
  /** What the probe found (a path, a set of formats…), or null when the oracle is missing. */
  readonly value: T | null;
  /** Why it is missing and how to install it; null when present. */
  readonly reason: string | null;
  /** For `it.skipIf`: true only where the oracle is missing outside CI. */
  readonly skip: boolean;
  /** The oracle; throws when missing (under CI the test is not skipped, so this fails it). */
  get(): T;
  /** For a check inside a test that checks more: the oracle, or null locally, or throws under CI. */
  optional(): T | null;
}

/**
 * Probes for one oracle. `probe` returns what it found or null; `install` says how to get it
 * (e.g. "apt-get install python3-onnx"). The outcome is printed once, where CI logs show it.
 */
export function oracle<T>(name: string, install: string, probe: () => T | null): Oracle<T> {
  let value: T | null;
  try {
    value = probe();
  } catch {
    value = null;
  }
  const reason = value === null ? `${name} is not available here (${install})` : null;
  const ci = isCi();
  if (reason !== null) {
    // The list reporters do not print skip reasons: say it where logs show it.
    console.warn(ci ? `oracle missing under CI, failing: ${reason}` : `skipped: ${reason}`);
  }
  const fail = (): never => {
    throw new Error(`${reason ?? name}${ci ? ' — CI must install it (.ci/run)' : ''}`);
  };
  return {
    name,
    value,
    reason,
    skip: reason !== null && !ci,
    get: () => (value === null ? fail() : value),
    optional: () => (value === null && ci ? fail() : value),
  };
}

/** The first of `pythons` that can import `module`, or null. */
export function pythonWith(
  module: string,
  pythons: readonly string[] = ['/usr/bin/python3', 'python3'],
): string | null {
  for (const py of pythons) {
    try {
      execFileSync(py, ['-c', `import ${module}`], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Whether `command` runs (exit status 0 with `args`, e.g. `--version`). */
export function hasCommand(command: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Skips CI allows, and why no CI machine can run them. */
export const CI_EXEMPT = {
  electron:
    "Electron's binary is not installed on CI machines: its download comes from outside the npm " +
    'registry and Debian, which is all CI can reach (ELECTRON_SKIP_BINARY_DOWNLOAD=1 in .ci/run)',
} as const;

/** The message for a skip listed in `CI_EXEMPT` (printed, since reporters hide skip reasons). */
export function exemptSkip(which: keyof typeof CI_EXEMPT, reason: string): string {
  const message = `${reason} (allowed under CI too: ${CI_EXEMPT[which]})`;
  console.log(`skipped: ${message}`);
  return message;
}
