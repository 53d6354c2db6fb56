import {
  AudioStreamSettings,
  AudioStreamSettingsPatch,
  RecorderStartBody,
  RecorderStatus,
} from '../audio-stream.js';
import { audioPortal } from '../families/audio-portal.js';
import type { OperationDef } from '../operation.js';

const family = audioPortal;

/** The live stream's stored defaults and the main-process recorder, under `/api/stream`. */
export const audioStreamOperations = {
  audioStreamSettings: {
    family,
    method: 'GET',
    path: '/api/stream/settings',
    summary: "The live stream's defaults: per-class thresholds, audio source, recorder",
    response: AudioStreamSettings,
  },
  updateAudioStreamSettings: {
    family,
    method: 'PUT',
    path: '/api/stream/settings',
    summary: "Changes the live stream's defaults (stored in the workspace)",
    description:
      'Only the fields sent change. New thresholds apply to streams started afterwards and to ' +
      'a running recorder at once; `start_stream` may still override them for its own stream.',
    body: AudioStreamSettingsPatch,
    response: AudioStreamSettings,
  },
  audioRecorderStatus: {
    family,
    method: 'GET',
    path: '/api/stream/recorder',
    summary: 'The main-process recorder: running or not, audio received, verdicts, last error',
    response: RecorderStatus,
  },
  startAudioRecorder: {
    family,
    method: 'POST',
    path: '/api/stream/recorder/start',
    summary: 'Starts the main-process recorder (sox, rec or arecord) into the live engine',
    description:
      'Fields left out come from the settings. Its verdicts go to every Socket.IO client as ' +
      '`classification_result` with `source: "recorder"`. 409 while no model is trained or it ' +
      'already runs; 422 when the recorder program is not installed.',
    body: RecorderStartBody,
    response: RecorderStatus,
  },
  stopAudioRecorder: {
    family,
    method: 'POST',
    path: '/api/stream/recorder/stop',
    summary: 'Stops the recorder (harmless when it is not running)',
    response: RecorderStatus,
  },
} as const satisfies Record<string, OperationDef>;
