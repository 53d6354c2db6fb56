/** The server events of the portal's stream that the screens read (api-reference/audio-portal.md). */

export interface ClassificationResult {
  readonly predicted_label: string;
  readonly confidence: number;
  readonly timestamp: string;
  readonly all_probabilities: Readonly<Record<string, number>>;
}

export interface TrainingUpdate {
  readonly progress: number;
  readonly status: string;
  readonly metrics: Readonly<Record<string, unknown>>;
}
