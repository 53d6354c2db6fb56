// Measurements the dataset-tool tests make on real WAV files and ZIP downloads.
import type request from 'supertest';
import yauzl from 'yauzl';

/** The samples of a 16-bit PCM mono WAV (what the portal writes its copies as). */
export function readWav16(buf: Buffer): { samples: Float32Array; sampleRate: number } {
  if (buf.toString('ascii', 0, 4) !== 'RIFF') throw new Error('not a RIFF file');
  let at = 12;
  let sampleRate = 0;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'fmt ') sampleRate = buf.readUInt32LE(at + 12);
    if (id === 'data') {
      const n = Math.floor(size / 2);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = buf.readInt16LE(at + 8 + i * 2) / 32767;
      return { samples, sampleRate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

export const rmsOf = (x: Float32Array, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
};

export const db = (ratio: number): number => 20 * Math.log10(ratio);

/** The strongest frequency between 100 and 4000 Hz, to 1 Hz, by a direct DFT scan. */
export function dominantFrequency(x: Float32Array, sampleRate: number): number {
  const power = (f: number): number => {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * f) / sampleRate;
    for (let i = 0; i < x.length; i++) {
      re += x[i]! * Math.cos(w * i);
      im += x[i]! * Math.sin(w * i);
    }
    return re * re + im * im;
  };
  let best = 0;
  let bestF = 0;
  for (let f = 100; f <= 4000; f += 10) {
    const p = power(f);
    if (p > best) [best, bestF] = [p, f];
  }
  for (let f = bestF - 10; f <= bestF + 10; f += 1) {
    const p = power(f);
    if (p > best) [best, bestF] = [p, f];
  }
  return bestF;
}

/** A supertest request whose body is collected as raw bytes. */
export const binary = (req: request.Test): request.Test =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** Every entry of a ZIP, read back with yauzl (which checks the central directory and CRCs). */
export function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
