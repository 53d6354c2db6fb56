import type { AudioScreen } from '../../lib/route.js';
import { assertNever } from '../../lib/assert-never.js';
import { AudioAnalyticsScreen } from './analytics-screen.js';
import { AudioClassifyScreen } from './classify-screen.js';
import { AudioDatasetScreen } from './dataset-screen.js';
import { AudioRealtimeScreen } from './realtime-screen.js';
import { AudioTrainingScreen } from './training-screen.js';

/** The audio portal's screen for a route. */
export function AudioScreenView({ screen }: { readonly screen: AudioScreen }) {
  switch (screen) {
    case 'audio-classify':
      return <AudioClassifyScreen />;
    case 'audio-realtime':
      return <AudioRealtimeScreen />;
    case 'audio-analytics':
      return <AudioAnalyticsScreen />;
    case 'audio-dataset':
      return <AudioDatasetScreen />;
    case 'audio-training':
      return <AudioTrainingScreen />;
    default:
      return assertNever(screen);
  }
}
