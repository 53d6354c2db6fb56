import type { HandlersOf } from '../../../../src-shared/contract/operation.js';
import type { audioStreamOperations } from '../../../../src-shared/contract/operations/audio-stream.js';
import type { LiveRecorder } from './recorder.js';
import type { StreamSettingsStore } from './stream-settings.js';

/** The `/api/stream/…` operations over the settings file and the recorder (HTTP and IPC). */
export function audioStreamOps(
  settings: StreamSettingsStore,
  recorder: LiveRecorder,
): HandlersOf<typeof audioStreamOperations> {
  return {
    audioStreamSettings: () => Promise.resolve(settings.get()),
    updateAudioStreamSettings: (patch) => settings.update(patch),
    audioRecorderStatus: () => Promise.resolve(recorder.status()),
    startAudioRecorder: (input) => recorder.start(input),
    stopAudioRecorder: () => Promise.resolve(recorder.stop()),
  };
}
