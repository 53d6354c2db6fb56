import { regressionEnvelope } from '../envelopes.js';
import type { FamilyDef } from '../family.js';

/** api-reference/tabular-regression.md: /upload → /train → /predict, /reset, /outputs/<file>. */
export const tabularRegression: FamilyDef = {
  id: 'tabular-regression',
  title: 'Tabular regression',
  tag: 'Tabular regression',
  reference: 'tabular-regression.md',
  prefixes: ['/upload', '/train', '/predict', '/reset', '/outputs'],
  envelope: regressionEnvelope,
  auth: { kind: 'none' },
};
