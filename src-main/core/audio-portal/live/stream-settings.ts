import { readFile } from 'node:fs/promises';
import {
  AudioStreamSettings,
  type AudioStreamSettingsPatch,
} from '../../../../src-shared/contract/index.js';
import type { Logger } from '../../services/logger.js';
import { writeFileAtomic } from '../../workspace/atomic-write.js';

export const DEFAULT_STREAM_SETTINGS: AudioStreamSettings = {
  thresholds: { gold: 0.5, iron: 0.5, other: 0.5 },
  source: 'microphone',
  recorder: { program: 'sox', device: null, sample_rate: 16_000 },
};

export interface StreamSettingsStore {
  get(): AudioStreamSettings;
  /** Merges the patch, writes the file (atomically) and returns what is now in force. */
  update(patch: AudioStreamSettingsPatch): Promise<AudioStreamSettings>;
  onChange(listener: (s: AudioStreamSettings) => void): () => void;
}

/**
 * The live stream's defaults, one JSON file in the workspace. A file that is missing, unreadable
 * or no longer valid gives the defaults (and a warning), never a stream that cannot start.
 */
export async function openStreamSettings(
  file: string,
  logger: Logger,
): Promise<StreamSettingsStore> {
  let current = DEFAULT_STREAM_SETTINGS;
  try {
    const parsed = AudioStreamSettings.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) current = parsed.data;
    else logger.warn({ file }, 'audio stream settings are invalid; using the defaults');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.warn({ err, file }, 'audio stream settings could not be read; using the defaults');
    }
  }
  const listeners = new Set<(s: AudioStreamSettings) => void>();
  let writing: Promise<unknown> = Promise.resolve();
  return {
    get: () => current,
    update(patch) {
      const next: AudioStreamSettings = {
        thresholds: { ...current.thresholds, ...patch.thresholds },
        source: patch.source ?? current.source,
        recorder: { ...current.recorder, ...patch.recorder },
      };
      // Writes go one after another, so the file always ends as the last update left it.
      const done = writing.then(async () => {
        await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
        current = next;
        for (const l of listeners) l(next);
        return next;
      });
      writing = done.catch(() => undefined);
      return done;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
