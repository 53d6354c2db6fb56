import { wakeWordEnvelope } from '../envelopes.js';
import type { FamilyDef } from '../family.js';

/** api-reference/wake-word.md: training jobs, models, tests (file and `WS /api/test/ws/{id}`), cache. */
export const wakeWord: FamilyDef = {
  id: 'wake-word',
  title: 'Wake word',
  tag: 'Wake word',
  reference: 'wake-word.md',
  prefixes: ['/api/info', '/api/train', '/api/models', '/api/test', '/api/cache'],
  envelope: wakeWordEnvelope,
  auth: { kind: 'none' },
};
