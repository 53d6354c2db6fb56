import { create } from 'zustand';
import { WorkstationError, type AudioUploadResponse } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { spectrogram } from '../lib/audio/spectrogram.js';
import { decodeForView, microphoneError, openMicrophone } from '../lib/audio/microphone.js';
import { encodeWavMono16, joinBlocks } from '../lib/audio/wav-encode.js';
import { errorMessage } from '../lib/errors.js';
import { useAudioModelStore } from './audio-model-store.js';

const FFT_SIZE = 512;

interface AudioClassifyStore {
  readonly busy: 'classifying' | 'recording' | null;
  readonly result: AudioUploadResponse | null;
  readonly error: string | null;
  /** The clip's spectrogram, computed here from the file the browser decoded. */
  readonly columns: readonly Float32Array[];
  /** Bins worth drawing (up to 8 kHz, where the detector's tones are). */
  readonly bins: number;
  classify(file: Blob, filename: string): Promise<void>;
  record(deviceId: string | null, seconds: number): Promise<void>;
}

export const useAudioClassifyStore = create<AudioClassifyStore>()((set, get) => ({
  busy: null,
  result: null,
  error: null,
  columns: [],
  bins: FFT_SIZE / 2,

  async classify(file, filename) {
    if (get().busy === 'classifying') return;
    set({ busy: 'classifying', error: null, result: null, columns: [] });
    const view = decodeForView(file).then((decoded) => {
      if (decoded === null) return;
      const bins = Math.min(FFT_SIZE / 2, Math.round((8000 * FFT_SIZE) / decoded.sampleRate));
      set({ columns: spectrogram(decoded.samples, FFT_SIZE, FFT_SIZE / 2, 600), bins });
    });
    try {
      // A File carries its name to the server (multipart filename, or over IPC).
      const named = file instanceof File ? file : new File([file], filename, { type: file.type });
      const result = await client.audioUpload({ file: named });
      set({ result });
      useAudioModelStore.getState().markReady();
    } catch (err) {
      // 409: no trained model yet; the screen then leads to Training.
      if (err instanceof WorkstationError && (err.httpStatus === 409 || err.code === 'conflict')) {
        useAudioModelStore.getState().markNone();
      }
      set({ error: errorMessage(err) });
    } finally {
      await view.catch(() => undefined);
      set({ busy: null });
    }
  },

  async record(deviceId, seconds) {
    if (get().busy !== null) return;
    set({ busy: 'recording', error: null, result: null, columns: [] });
    const blocks: Float32Array[] = [];
    let rate = 0;
    try {
      const mic = await openMicrophone(deviceId, (block, sampleRate) => {
        blocks.push(block);
        rate = sampleRate;
      });
      await new Promise((r) => setTimeout(r, seconds * 1000));
      await mic.stop();
      rate ||= mic.sampleRate;
    } catch (err) {
      set({ busy: null, error: microphoneError(err) });
      return;
    }
    set({ busy: null });
    const wav = encodeWavMono16(joinBlocks(blocks), rate);
    await get().classify(new Blob([wav as BlobPart], { type: 'audio/wav' }), 'recording.wav');
  },
}));
