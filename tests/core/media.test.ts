import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBmp } from '../../src-main/core/media/bmp.js';
import { FileError } from '../../src-main/core/media/file-error.js';
import { probeMedia, type MediaLimits } from '../../src-main/core/media/probe.js';
import { sniffFile } from '../../src-main/core/media/sniff.js';
import {
  bmpBuffer,
  bombPngHeader,
  imageBuffer,
  opusConvert,
  soxConvert,
  soxFormats,
  wavBuffer,
} from '../fixtures/media-fixtures.js';
import { hasCommand, oracle } from '../helpers/oracle.js';

const LIMITS: MediaLimits = { maxImagePixels: 10_000_000, maxAudioSeconds: 60 };
let dir: string;
const file = (name: string, data: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
async function fileError(p: Promise<unknown>): Promise<FileError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FileError) return err;
    throw err;
  }
  throw new Error('expected a FileError');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-media-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sniffFile (by bytes, never by name)', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
    ['tiff', 'image/tiff'],
  ] as const)('recognises %s whatever the name', async (fmt, mime) => {
    const p = file(`misnamed-${fmt}.txt`, await imageBuffer(fmt));
    expect(await sniffFile(p)).toMatchObject({ kind: 'image', mime });
  });

  it('recognises BMP, WAV and CSV', async () => {
    expect(await sniffFile(file('a.bin', bmpBuffer(4, 4)))).toMatchObject({
      kind: 'image',
      format: 'bmp',
    });
    expect(await sniffFile(file('b.bin', wavBuffer({ seconds: 0.1 })))).toMatchObject({
      kind: 'audio',
      format: 'wav',
    });
    expect(await sniffFile(file('c.bin', 'x;y;z\n1;2;3\n4;5;6\n'))).toMatchObject({
      kind: 'table',
      delimiter: ';',
    });
  });

  it('refuses text named .wav, prose, binary junk and empty files', async () => {
    expect(
      await sniffFile(file('fake.wav', 'this is not audio at all\njust words\n')),
    ).toMatchObject({
      kind: 'unsupported',
    });
    expect(await sniffFile(file('junk.csv', Buffer.from([1, 2, 0, 255, 254, 3])))).toMatchObject({
      kind: 'unsupported',
    });
    expect(await sniffFile(file('empty.png', ''))).toMatchObject({ kind: 'unsupported' });
    // Latin-1 bytes are not UTF-8 text, so not a CSV even with consistent commas.
    expect(
      await sniffFile(file('latin1.csv', Buffer.from('caf\xe9,b\n1,2\n', 'latin1'))),
    ).toMatchObject({
      kind: 'unsupported',
    });
  });
});

describe('images', () => {
  it.each(['png', 'jpeg', 'webp', 'tiff'] as const)(
    '%s: size and a 256-px WebP thumbnail',
    async (fmt) => {
      const p = file(`big.${fmt}`, await imageBuffer(fmt, 600, 300));
      const m = await probeMedia(p, LIMITS);
      expect(m).toMatchObject({
        mediaKind: 'image',
        width: 600,
        height: 300,
        duration: null,
        waveform: null,
      });
      const t = await sharp(m.thumbnail as Buffer).metadata();
      expect([t.format, t.width, t.height]).toEqual(['webp', 256, 128]);
    },
  );

  it('BMP 24- and 32-bit, decoded by our own reader with the right pixels', async () => {
    for (const bpp of [24, 32] as const) {
      const raw = decodeBmp(bmpBuffer(5, 3, bpp), 1000);
      expect([raw.width, raw.height, raw.channels]).toEqual([5, 3, 3]);
      // pixel (x=2, y=1) = rgb(16, 8, 128); row 0 is the top row.
      expect([...raw.data.subarray((1 * 5 + 2) * 3, (1 * 5 + 2) * 3 + 3)]).toEqual([16, 8, 128]);
      const m = await probeMedia(file(`img${bpp}.bmp`, bmpBuffer(40, 20, bpp)), LIMITS);
      expect(m).toMatchObject({
        mediaKind: 'image',
        mime: 'image/bmp',
        ext: 'bmp',
        width: 40,
        height: 20,
      });
      expect((await sharp(m.thumbnail as Buffer).metadata()).format).toBe('webp');
    }
  });

  it('refuses a truncated BMP, and paletted BMPs as unsupported', async () => {
    const bmp = bmpBuffer(40, 20);
    expect(
      (await fileError(probeMedia(file('cut.bmp', bmp.subarray(0, bmp.length - 100)), LIMITS)))
        .code,
    ).toBe('corrupt_image');
    const pal = Buffer.from(bmp);
    pal.writeUInt16LE(8, 28);
    expect((await fileError(probeMedia(file('pal.bmp', pal), LIMITS))).code).toBe(
      'unsupported_type',
    );
  });

  it('applies EXIF orientation to the reported size and the thumbnail', async () => {
    const jpeg = await sharp(await imageBuffer('jpeg', 64, 32))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const m = await probeMedia(file('rotated.jpg', jpeg), LIMITS);
    expect([m.width, m.height]).toEqual([32, 64]);
    const t = await sharp(m.thumbnail as Buffer).metadata();
    expect([t.width, t.height]).toEqual([32, 64]);
  });

  it('detects a truncated JPEG and a truncated PNG by decoding them fully', async () => {
    const jpeg = await imageBuffer('jpeg', 800, 600);
    const cut = file('cut.jpg', jpeg.subarray(0, Math.floor(jpeg.length * 0.7)));
    // The header is intact, so only a full decode can tell.
    expect((await sharp(cut).metadata()).width).toBe(800);
    expect((await fileError(probeMedia(cut, LIMITS))).code).toBe('corrupt_image');
    const png = await imageBuffer('png', 300, 200);
    const cutPng = file('cut.png', png.subarray(0, Math.floor(png.length * 0.5)));
    expect((await fileError(probeMedia(cutPng, LIMITS))).code).toBe('corrupt_image');
  });

  it('refuses a PNG header claiming 100000×100000 from the header alone', async () => {
    const p = file('bomb.png', bombPngHeader(100_000, 100_000));
    expect((await sharp(p, { limitInputPixels: false }).metadata()).width).toBe(100_000);
    const err = await fileError(probeMedia(p, LIMITS));
    expect(err.code).toBe('image_too_large');
    expect(err.message).toContain('100000×100000');
    // Control: under a cap it fits, the same file is judged by decoding it — and is corrupt.
    const wide = await fileError(probeMedia(p, { ...LIMITS, maxImagePixels: 1e11 }));
    expect(wide.code).toBe('corrupt_image');
  });

  it('refuses a legitimate image just over the pixel cap', async () => {
    const p = file('over.png', await imageBuffer('png', 101, 100));
    expect((await fileError(probeMedia(p, { ...LIMITS, maxImagePixels: 10_000 }))).code).toBe(
      'image_too_large',
    );
    expect(
      (
        await fileError(
          probeMedia(file('over.bmp', bmpBuffer(101, 100)), { ...LIMITS, maxImagePixels: 10_000 }),
        )
      ).code,
    ).toBe('image_too_large');
  });
});

describe('audio', () => {
  it('WAV PCM16 stereo: duration, rate, channels, ~200 peaks, waveform thumbnail', async () => {
    const p = file('tone.wav', wavBuffer({ seconds: 2, sampleRate: 8000, channels: 2 }));
    const m = await probeMedia(p, LIMITS);
    expect(m).toMatchObject({
      mediaKind: 'audio',
      mime: 'audio/wav',
      ext: 'wav',
      duration: 2,
      sampleRate: 8000,
      channels: 2,
    });
    const peaks = m.waveform ?? [];
    expect(peaks).toHaveLength(200);
    for (const [lo, hi] of peaks) {
      expect(lo).toBeCloseTo(-0.5, 1);
      expect(hi).toBeCloseTo(0.5, 1);
    }
    const t = await sharp(m.thumbnail as Buffer).metadata();
    expect([t.format, t.width, t.height]).toEqual(['webp', 256, 96]);
  });

  it('a clip shorter than 200 samples still yields peaks', async () => {
    const m = await probeMedia(
      file('tiny.wav', wavBuffer({ seconds: 0.01, sampleRate: 8000 })),
      LIMITS,
    );
    expect(m.waveform).toHaveLength(80);
  });

  it('refuses audio over the length cap', async () => {
    const p = file('long.wav', wavBuffer({ seconds: 3, sampleRate: 8000 }));
    expect((await fileError(probeMedia(p, { ...LIMITS, maxAudioSeconds: 1 }))).code).toBe(
      'audio_too_long',
    );
  });

  it('refuses a RIFF/WAVE header with garbage after it as corrupt audio', async () => {
    const junk = Buffer.concat([
      Buffer.from('RIFF\x24\x00\x00\x00WAVE', 'latin1'),
      Buffer.alloc(64, 0x41),
    ]);
    const err = await fileError(probeMedia(file('junk.wav', junk), LIMITS));
    expect(err.code).toBe('corrupt_audio');
  });

  it('refuses a text file named .wav as unsupported', async () => {
    const err = await fileError(
      probeMedia(file('words.wav', 'hello there, not a sound\n'), LIMITS),
    );
    expect(err.code).toBe('unsupported_type');
  });

  // Each format from a real encoder: sox where it can write it, opusenc (Debian opus-tools) for
  // Opus, since Debian's sox has no Opus writer.
  const sox = soxFormats();
  const soxWrites = (ext: string, soxName: string, pkg: string) =>
    oracle(`sox writing ${ext}`, `apt-get install ${pkg}`, () =>
      sox.has(soxName) || sox.has(ext) ? soxConvert : null,
    );
  const cases = [
    ['flac', 'audio/flac', 16000, soxWrites('flac', 'flac', 'sox')],
    ['ogg', 'audio/ogg', 16000, soxWrites('ogg', 'vorbis', 'sox')],
    ['mp3', 'audio/mpeg', 16000, soxWrites('mp3', 'mp3', 'libsox-fmt-mp3')],
    [
      'opus',
      'audio/ogg; codecs=opus',
      // Opus always decodes at 48 kHz; the 16 kHz input rate is only a note in its header.
      48000,
      oracle('opusenc', 'apt-get install opus-tools', () =>
        hasCommand('opusenc', ['--version']) ? opusConvert : null,
      ),
    ],
  ] as const;
  for (const [ext, mime, sampleRate, encoder] of cases) {
    it.skipIf(encoder.skip)(`${ext} made by ${encoder.name} decodes`, async () => {
      const wav = file(
        `src-${ext}.wav`,
        wavBuffer({ seconds: 1.5, sampleRate: 16000, channels: 1 }),
      );
      const out = join(dir, `clip.${ext}`);
      encoder.get()(wav, out);
      const m = await probeMedia(out, LIMITS);
      expect(m).toMatchObject({ mediaKind: 'audio', mime, sampleRate, channels: 1 });
      expect(m.duration).toBeGreaterThan(1.4);
      expect(m.duration).toBeLessThan(1.6);
      expect(Math.max(...(m.waveform ?? []).map(([, hi]) => hi))).toBeGreaterThan(0.3);
    });
  }
});

describe('tables (CSV)', () => {
  it('counts rows and columns through quotes, embedded newlines, CRLF and a BOM', async () => {
    const csv =
      '\ufeffa,b,"c, the target"\r\n1,"x,y",3\r\n4,"multi\nline ""quoted""",6\r\n\r\n7,8,9';
    const m = await probeMedia(file('t.csv', csv), LIMITS, { targetColumn: 'c, the target' });
    expect(m).toMatchObject({
      mediaKind: 'table',
      mime: 'text/csv',
      ext: 'csv',
      rows: 3,
      columns: 3,
      thumbnail: null,
    });
  });

  it('refuses a ragged row with its line number', async () => {
    const err = await fileError(probeMedia(file('ragged.csv', 'a,b\n1,2\n3,4\n5\n6,7\n'), LIMITS));
    expect(err.code).toBe('corrupt_table');
    expect(err.message).toContain('line 4');
  });

  it('refuses an unknown target column', async () => {
    const err = await fileError(
      probeMedia(file('t2.csv', 'a,b\n1,2\n'), LIMITS, { targetColumn: 'price' }),
    );
    expect(err.code).toBe('bad_target_column');
  });
});

describe('mp3 without an encoder on this machine', () => {
  it('decodes hand-made MPEG-1 Layer III frames through the MIT mp3 decoder', async () => {
    // Frame header FF FB 90 64: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint stereo → 417-byte frames
    // of 1152 samples. The payload bytes are arbitrary; the decoder turns them into (noisy) audio.
    const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413, 0x55)]);
    const p = file('frames.mp3', Buffer.concat(Array.from({ length: 6 }, () => frame)));
    const m = await probeMedia(p, LIMITS);
    expect(m).toMatchObject({
      mediaKind: 'audio',
      mime: 'audio/mpeg',
      ext: 'mp3',
      sampleRate: 44100,
      channels: 2,
    });
    expect(m.duration).toBeCloseTo((6 * 1152) / 44100, 2);
  });

  it('reports a mono stream as one channel (the decoder duplicates it), behind an ID3v2 tag', async () => {
    // FF FB 90 C4: the same frames with channel mode 0b11 (single channel); the tag's syncsafe
    // size is 20 bytes of padding.
    const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0xc4]), Buffer.alloc(413, 0x55)]);
    const id3 = Buffer.concat([
      Buffer.from('ID3'),
      Buffer.from([4, 0, 0, 0, 0, 0, 20]),
      Buffer.alloc(20),
    ]);
    const p = file('mono.mp3', Buffer.concat([id3, ...Array.from({ length: 6 }, () => frame)]));
    const m = await probeMedia(p, LIMITS);
    expect(m).toMatchObject({ mediaKind: 'audio', ext: 'mp3', sampleRate: 44100, channels: 1 });
  });
});
