/** 16-bit PCM mono WAV: what the generator writes (the reference's 22050 Hz clips). */
export function encodeWav16(samples: Float32Array, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i] ?? 0));
    buf.writeInt16LE(Math.round(v * 32767), 44 + i * 2);
  }
  return buf;
}

/**
 * The RIFF header's sizes against the bytes that are there. Decoders read a truncated `data`
 * chunk without complaint, so a file whose header claims more audio than it holds would be
 * stored as a shorter clip than its header says; it is refused instead. Returns the problem, or
 * null when the sizes agree (a trailing pad byte or chunks after `data` are fine).
 */
export function wavHeaderProblem(head: Buffer, fileSize: number): string | null {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF') return null;
  const riff = head.readUInt32LE(4);
  if (riff + 8 > fileSize + 1) {
    return `the WAV header says the file is ${riff + 8} bytes long, but it is ${fileSize}`;
  }
  let at = 12;
  while (at + 8 <= head.length) {
    const id = head.toString('ascii', at, at + 4);
    const size = head.readUInt32LE(at + 4);
    if (id === 'data') {
      const held = fileSize - (at + 8);
      if (size > held) {
        return `the WAV header says its audio is ${size} bytes long, but the file holds ${held}`;
      }
      return size === 0 ? 'the WAV file holds no audio samples' : null;
    }
    at += 8 + size + (size % 2);
  }
  return at + 8 > fileSize ? 'the WAV file has no data chunk' : null;
}
