/**
 * The channel count an MP3 file declares. The mpg123 decoder behind `@audio/decode-mp3` always
 * hands back two channels (a mono stream comes out duplicated), so the count is read from the
 * first frame header instead: its channel-mode bits say mono (0b11) or one of the stereo modes.
 */

const ID3_HEADER = 10;

/** Bytes taken by a leading ID3v2 tag (header, syncsafe size, optional footer); 0 without one. */
function id3Length(bytes: Uint8Array): number {
  if (bytes.length < ID3_HEADER || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) {
    return 0;
  }
  const size =
    ((bytes[6] ?? 0) << 21) | ((bytes[7] ?? 0) << 14) | ((bytes[8] ?? 0) << 7) | (bytes[9] ?? 0);
  const footer = ((bytes[5] ?? 0) & 0x10) !== 0 ? ID3_HEADER : 0;
  return ID3_HEADER + size + footer;
}

/** A plausible MPEG audio frame header at `i`: sync, a known version and layer, a usable rate. */
function isFrameHeader(bytes: Uint8Array, i: number): boolean {
  const b1 = bytes[i + 1] ?? 0;
  const b2 = bytes[i + 2] ?? 0;
  if (bytes[i] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11; // 01 is reserved
  const layer = (b1 >> 1) & 0b11; // 00 is reserved
  const bitrate = b2 >> 4; // 1111 is invalid
  const rate = (b2 >> 2) & 0b11; // 11 is reserved
  return version !== 0b01 && layer !== 0 && bitrate !== 0b1111 && rate !== 0b11;
}

/** 1 or 2, from the first frame header within `head` (the file's first bytes); null if none. */
export function mp3Channels(head: Uint8Array): 1 | 2 | null {
  for (let i = id3Length(head); i + 4 <= head.length; i += 1) {
    if (isFrameHeader(head, i)) return (head[i + 3] ?? 0) >> 6 === 0b11 ? 1 : 2;
  }
  return null;
}
