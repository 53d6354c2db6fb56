import { audioPortalEnvelope } from '../envelopes.js';
import type { FamilyDef } from '../family.js';

/**
 * api-reference/audio-portal.md: upload / quick-classify, the dataset tools, training, and the
 * Socket.IO stream with its settings and the main-process recorder (`/api/stream/…`). Its pages (`/classify`, `/realtime`, …) are the app's UI, not prefixes here.
 */
export const audioPortal: FamilyDef = {
  id: 'audio-portal',
  title: 'Audio portal',
  tag: 'Audio portal',
  reference: 'audio-portal.md',
  prefixes: [
    '/api/upload',
    '/api/quick-classify',
    '/api/analytics',
    '/api/dataset',
    '/api/training/start',
    '/api/training/status',
    '/api/waveform',
    '/api/stream',
  ],
  envelope: audioPortalEnvelope,
  auth: { kind: 'none' },
};
