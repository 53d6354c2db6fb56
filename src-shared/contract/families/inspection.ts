import { inspectionEnvelope } from '../envelopes.js';
import type { FamilyDef } from '../family.js';

/** api-reference/inspection.md: Bearer JWT on everything but health and login. */
export const inspection: FamilyDef = {
  id: 'inspection',
  title: 'Visual inspection',
  tag: 'Inspection',
  reference: 'inspection.md',
  prefixes: ['/api/v1', '/metrics', '/ws/dashboard'],
  envelope: inspectionEnvelope,
  auth: { kind: 'bearer-jwt', publicPaths: ['/api/v1/health', '/api/v1/auth/login'] },
};
