import { z } from 'zod';

// Imported first by main.tsx, before any schema exists. zod decides at schema construction
// whether to compile fast parsers with `new Function`, probing for eval support; under this app's
// CSP (no 'unsafe-eval') even that caught probe is reported as a violation. The interpreted
// parsers are plenty fast for replies of this size.
z.config({ jitless: true });
