import type { AudioFamily } from '../classifier.js';

export type InferCommand =
  | { readonly type: 'load'; readonly id: number; readonly dir: string }
  | {
      readonly type: 'classify';
      readonly id: number;
      readonly dir: string;
      readonly samples: Float32Array;
      readonly sampleRate: number;
    };

export type InferReply =
  | {
      readonly type: 'loaded';
      readonly id: number;
      readonly classes: readonly string[];
      readonly families: readonly AudioFamily[];
    }
  | {
      readonly type: 'judged';
      readonly id: number;
      readonly families: Partial<Record<AudioFamily, number[]>>;
      readonly vote: number[];
      readonly events: readonly { readonly onset: number; readonly offset: number }[];
    }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
