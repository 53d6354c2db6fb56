// node-record-lpcm16 1.0 ships no types: the part of its API the recorder uses.
declare module 'node-record-lpcm16' {
  import type { ChildProcess } from 'node:child_process';
  import type { Readable } from 'node:stream';

  export interface RecordOptions {
    sampleRate?: number;
    channels?: number;
    recorder?: 'sox' | 'rec' | 'arecord';
    audioType?: string;
    device?: string | null;
    threshold?: number;
    endOnSilence?: boolean;
  }

  export interface Recording {
    readonly process: ChildProcess;
    stream(): Readable;
    stop(): void;
  }

  export function record(options?: RecordOptions): Recording;
  const lib: { record: typeof record };
  export default lib;
}
