import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A mono 16-bit PCM WAV of a sine tone with a fade, written byte by byte (no tools needed). */
export function wavBytes(seconds: number, frequency: number, sampleRate = 16_000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) {
    const envelope = Math.min(1, i / (0.05 * sampleRate), (samples - i) / (0.05 * sampleRate));
    const v = Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 0.8 * envelope;
    data.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** `<root>/beep/*.wav` (short, high) and `<root>/hum/*.wav` (longer, low). */
export async function writeAudioFolder(root: string): Promise<string> {
  await mkdir(path.join(root, 'beep'), { recursive: true });
  await mkdir(path.join(root, 'hum'), { recursive: true });
  for (let i = 0; i < 3; i += 1) {
    await writeFile(
      path.join(root, 'beep', `beep-${i}.wav`),
      wavBytes(0.5 + i * 0.25, 880 + i * 40),
    );
    await writeFile(path.join(root, 'hum', `hum-${i}.wav`), wavBytes(2, 110 + i * 15));
  }
  return root;
}
