import type { WorkstationClient } from '../../src-shared/contract/index.js';
import { createHttpClient } from './http-client.js';

/**
 * The one client the app uses. Electron's preload exposes `window.assay` (IPC); a browser
 * talking to `npm start`'s server gets HTTP to the page's own origin. Only store actions use it.
 */
export const client: WorkstationClient = window.assay ?? createHttpClient();
