import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/server.js';

/**
 * Whether the desktop app can run here: Electron's binary installed, a display to open a window
 * on, better-sqlite3 built for Electron's ABI, and the app built. `reason` says what is missing,
 * for the skip message (the same checks `npm start` makes before choosing the server).
 */
export function electronAvailability(): { path: string } | { reason: string } {
  let binary: unknown;
  try {
    binary = createRequire(path.join(REPO_ROOT, 'package.json'))('electron');
  } catch (err) {
    const detail = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return { reason: `Electron binary not installed: ${detail}` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { reason: `Electron binary not installed: ${String(binary)} does not exist` };
  }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return { reason: 'no display for Electron (set DISPLAY, e.g. run the tests under xvfb-run)' };
  }
  const probe = spawnSync(binary, ['-e', "require('better-sqlite3')"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.status !== 0) {
    return {
      reason:
        'better-sqlite3 is not built for Electron (npx electron-rebuild -f -w better-sqlite3): ' +
        (probe.stderr || probe.error?.message || '').trim().split('\n')[0],
    };
  }
  for (const built of ['dist/main/src-main/electron/main.js', 'dist/preload/preload.cjs']) {
    if (!existsSync(path.join(REPO_ROOT, built)))
      return { reason: `${built} missing: run npm run build` };
  }
  return { path: binary };
}
