import { platformEnvelope } from '../envelopes.js';
import type { FamilyDef } from '../family.js';

/** api-reference/training-platform.md: projects → datasets → splits → training → evaluation → export. */
export const trainingPlatform: FamilyDef = {
  id: 'training-platform',
  title: 'Training platform',
  tag: 'Training platform',
  reference: 'training-platform.md',
  prefixes: [
    '/api/projects',
    '/api/datasets',
    '/api/splits',
    '/api/training',
    '/api/evaluation',
    '/api/export',
    '/api/system',
    '/api/jobs',
    // The Regression screen's own view of its family (state, re-binding), in this envelope.
    '/api/regression',
  ],
  envelope: platformEnvelope,
  auth: { kind: 'none' },
};
