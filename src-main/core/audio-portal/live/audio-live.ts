import path from 'node:path';
import type { HandlersOf } from '../../../../src-shared/contract/operation.js';
import type { audioStreamOperations } from '../../../../src-shared/contract/operations/audio-stream.js';
import type { SocketIoHandler } from '../../api-module.js';
import type { Logger } from '../../services/logger.js';
import type { AudioModels, AudioTrainingEvents } from '../classifier.js';
import { audioStreamHandler } from './audio-stream-handler.js';
import { audioStreamOps } from './audio-stream-ops.js';
import { LiveStreams } from './live-streams.js';
import { LiveRecorder } from './recorder.js';
import { openStreamSettings } from './stream-settings.js';

/** The file the stream's defaults live in, at the workspace's top level. */
export const STREAM_SETTINGS_FILE = 'audio-stream-settings.json';

export interface AudioLiveDeps {
  readonly workspaceDir: string;
  readonly models: AudioModels;
  readonly training?: AudioTrainingEvents;
  readonly now: () => Date;
  readonly logger: Logger;
  /** The PATH the recorder program is looked up on. */
  readonly searchPath: () => string | undefined;
}

/** The audio portal's live side: the stream's listeners, its settings, the recorder. */
export interface AudioLive {
  readonly streams: LiveStreams;
  readonly recorder: LiveRecorder;
  readonly ops: HandlersOf<typeof audioStreamOperations>;
  readonly handler: SocketIoHandler;
  close(): void;
}

/** Models of a portal that has none trained: every stream start says so. */
export const untrainedAudioModels: AudioModels = {
  current: () => Promise.resolve(null),
  onChange: () => () => undefined,
};

export async function createAudioLive(deps: AudioLiveDeps): Promise<AudioLive> {
  const settings = await openStreamSettings(
    path.join(deps.workspaceDir, STREAM_SETTINGS_FILE),
    deps.logger,
  );
  const streams = new LiveStreams({
    models: deps.models,
    settings,
    now: deps.now,
    ...(deps.training ? { training: deps.training } : {}),
  });
  const recorder = new LiveRecorder({
    streams,
    settings,
    now: deps.now,
    logger: deps.logger,
    searchPath: deps.searchPath,
  });
  return {
    streams,
    recorder,
    ops: audioStreamOps(settings, recorder),
    handler: audioStreamHandler(streams),
    close() {
      recorder.close();
      streams.close();
    },
  };
}
