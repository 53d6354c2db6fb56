/**
 * The renderer's microphone: getUserMedia with the browser's speech processing off (a detector's
 * tone must reach the models as it is), and an AudioWorklet posting Float32 blocks.
 */

export interface InputDevice {
  readonly deviceId: string;
  readonly label: string;
}

export interface OpenMicrophone {
  readonly sampleRate: number;
  readonly deviceLabel: string;
  stop(): Promise<void>;
}

const WORKLET_URL = './audio/capture-worklet.js';

/** Audio inputs; labels appear only once the page has been granted the microphone. */
export async function listInputDevices(): Promise<InputDevice[]> {
  if (navigator.mediaDevices?.enumerateDevices === undefined) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  return all
    .filter((d) => d.kind === 'audioinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
}

/** Why the microphone could not be opened, in words a person can act on. */
export function microphoneError(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError') return 'The microphone was not allowed. Allow it and try again.';
  if (name === 'NotFoundError') return 'No microphone was found.';
  if (name === 'NotReadableError') return 'The microphone is in use by another program.';
  if (navigator.mediaDevices === undefined) {
    return 'This page cannot use a microphone (it needs http://127.0.0.1 or the desktop app).';
  }
  return err instanceof Error ? err.message : 'The microphone could not be opened.';
}

export async function openMicrophone(
  deviceId: string | null,
  onBlock: (block: Float32Array, sampleRate: number) => void,
): Promise<OpenMicrophone> {
  if (navigator.mediaDevices?.getUserMedia === undefined) throw new Error(microphoneError(null));
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
      channelCount: 1,
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    },
  });
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(new URL(WORKLET_URL, document.baseURI).href);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'assay-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
    });
    node.port.onmessage = (e: MessageEvent<Float32Array>) => onBlock(e.data, context.sampleRate);
    source.connect(node);
    if (context.state === 'suspended') await context.resume();
    const track = stream.getAudioTracks()[0];
    return {
      sampleRate: context.sampleRate,
      deviceLabel: track?.label ?? 'Microphone',
      async stop() {
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        for (const t of stream.getTracks()) t.stop();
        await context.close().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const t of stream.getTracks()) t.stop();
    await context.close().catch(() => undefined);
    throw err;
  }
}

/** Decodes a dropped file in the page, for its spectrogram (mono: the first channel). */
export async function decodeForView(
  file: Blob,
): Promise<{ samples: Float32Array; sampleRate: number } | null> {
  const context = new OfflineAudioContext(1, 1, 44100);
  try {
    const buffer = await context.decodeAudioData(await file.arrayBuffer());
    return { samples: buffer.getChannelData(0), sampleRate: buffer.sampleRate };
  } catch {
    // A format the browser cannot decode: the server's waveform still shows.
    return null;
  }
}
