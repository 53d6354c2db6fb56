/** The server events of the portal's stream that the screens read (api-reference/audio-portal.md). */

export interface ClassificationResult {
  readonly predicted_label: string;
  readonly confidence: number;
  readonly timestamp: string;
  readonly all_probabilities: Readonly<Record<string, number>>;
  /** Assay's addition: the event judged, and how long after its onset the verdict was made. */
  readonly event?: { readonly onset: number; readonly latency_ms: number };
  /** Assay's addition: each family's label. */
  readonly model_votes?: Readonly<Record<string, string>>;
}

export interface TrainingUpdate {
  readonly progress: number;
  readonly status: string;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface AudioStreamHandlers {
  onStarted?(): void;
  onStopped?(): void;
  onResult?(result: ClassificationResult): void;
  onError?(message: string): void;
  onTrainingUpdate?(update: TrainingUpdate): void;
  /** The connection itself went away (server stopped). */
  onDisconnect?(): void;
}

export type Incoming = { readonly event: string; readonly data: unknown };

/**
 * One server event to the matching handler. Over IPC the contract has checked it already; over
 * Socket.IO nothing has, so a message without the fields the screens read is dropped here.
 */
export function dispatchStreamEvent(handlers: AudioStreamHandlers, msg: Incoming): void {
  const data = msg.data as Record<string, unknown> | null;
  switch (msg.event) {
    case 'stream_started':
      return handlers.onStarted?.();
    case 'stream_stopped':
      return handlers.onStopped?.();
    case 'classification_result':
      if (
        data !== null &&
        typeof data.predicted_label === 'string' &&
        typeof data.confidence === 'number' &&
        typeof data.all_probabilities === 'object' &&
        data.all_probabilities !== null
      ) {
        handlers.onResult?.(data as unknown as ClassificationResult);
      }
      return;
    case 'training_update':
      if (data !== null && typeof data.progress === 'number') {
        handlers.onTrainingUpdate?.(data as unknown as TrainingUpdate);
      }
      return;
    case 'stream_error': {
      const err = data?.error;
      handlers.onError?.(typeof err === 'string' ? err : 'The stream refused the audio');
      return;
    }
    default:
      return;
  }
}
