import { create } from 'zustand';
import type {
  AudioAugmentRequest,
  AudioDatasetInfo,
  AudioWaveformResponse,
  DatasetItem,
} from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { portalProjectOf } from '../lib/audio/portal-state.js';
import { errorMessage } from '../lib/errors.js';

type Counts = Readonly<Record<string, number>>;

/** Class counts before and after the last augment or balance, for the comparison chart. */
export interface Comparison {
  readonly action: 'augment' | 'balance';
  readonly before: Counts;
  readonly after: Counts;
  readonly message: string | null;
}

interface AudioDatasetStore {
  readonly info: AudioDatasetInfo | null;
  readonly projectId: string | null;
  readonly items: readonly DatasetItem[];
  readonly selected: AudioWaveformResponse | null;
  readonly busy: 'loading' | 'uploading' | 'augmenting' | 'balancing' | null;
  readonly error: string | null;
  readonly comparison: Comparison | null;
  load(): Promise<void>;
  select(filename: string): Promise<void>;
  upload(files: readonly File[], classLabel: string): Promise<void>;
  augment(input: AudioAugmentRequest): Promise<void>;
  balance(method: 'oversample' | 'undersample'): Promise<void>;
}

const filesPerClass = (info: AudioDatasetInfo | null): Counts =>
  Object.fromEntries(Object.entries(info?.classes ?? {}).map(([c, v]) => [c, v.files]));

export const useAudioDatasetStore = create<AudioDatasetStore>()((set, get) => {
  const refresh = async (): Promise<void> => {
    const info = await client.audioDatasetInfo({});
    const project = portalProjectOf(await client.listProjects({}));
    const items =
      project === null
        ? []
        : (
            await client.listImages({
              project_id: project.id,
              page_size: 1000,
              media_kind: 'audio',
            })
          ).items;
    set({ info, projectId: project?.id ?? null, items });
  };
  const run = async (
    busy: Exclude<AudioDatasetStore['busy'], null>,
    work: () => Promise<void>,
  ): Promise<void> => {
    if (get().busy !== null && get().busy !== 'loading') return;
    set({ busy, error: null });
    try {
      await work();
    } catch (err) {
      set({ error: errorMessage(err) });
    } finally {
      set({ busy: null });
    }
  };

  return {
    info: null,
    projectId: null,
    items: [],
    selected: null,
    busy: null,
    error: null,
    comparison: null,

    load: () => run('loading', refresh),

    async select(filename) {
      try {
        set({ selected: await client.audioWaveform({ filename, points: 800 }) });
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },

    upload: (files, classLabel) =>
      run('uploading', async () => {
        try {
          for (const file of files) {
            await client.audioDatasetUpload({ file, class_label: classLabel });
          }
        } finally {
          await refresh();
        }
      }),

    augment: (input) =>
      run('augmenting', async () => {
        const before = filesPerClass(get().info);
        const reply = await client.audioDatasetAugment(input);
        await refresh();
        set({
          comparison: {
            action: 'augment',
            before,
            after: filesPerClass(get().info),
            message: reply.message,
          },
        });
      }),

    balance: (method) =>
      run('balancing', async () => {
        const reply = await client.audioDatasetBalance({ method });
        await refresh();
        set({
          comparison: {
            action: 'balance',
            before: reply.original_distribution,
            after: reply.new_distribution,
            message: reply.message,
          },
        });
      }),
  };
});
