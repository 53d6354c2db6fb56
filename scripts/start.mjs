#!/usr/bin/env node
// `npm start`: builds what is missing or stale, then launches the desktop app where Electron's
// binary is installed and usable, and otherwise runs the workstation as a local server serving
// the same UI, saying which it did and why (DESIGN.md §3).
//
//   npm start -- --workspace <dir> --port <n> [--host <addr>] [--server] [--dev]
//
// --server forces the local server; ASSAY_HEADLESS=1 does the same.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const OUTPUTS = [
  'dist/main/src-main/server.js',
  'dist/main/src-main/electron/main.js',
  'dist/preload/preload.cjs',
  'dist/renderer/index.html',
];
const SOURCES = [
  'src-main',
  'src-shared',
  'src-preload',
  'src-renderer',
  'package.json',
  'vite.config.ts',
  'vite.preload.config.ts',
  'tsconfig.base.json',
  'tsconfig.main.json',
];

/** Newest modification time under a file or folder (0 when absent). */
function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const info = statSync(p);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Why a build is needed, or null when dist is complete and newer than every source. */
function buildReason() {
  const missing = OUTPUTS.filter((o) => !existsSync(path.join(root, o)));
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const oldestOutput = Math.min(...OUTPUTS.map((o) => statSync(path.join(root, o)).mtimeMs));
  const newestSource = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  return newestSource > oldestOutput ? 'sources changed since the last build' : null;
}

function build() {
  const reason = buildReason();
  if (!reason) return;
  console.log(`assay: building (${reason})…`);
  const result = spawnSync(npm, ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    console.error('assay: the build failed; see above.');
    process.exit(result.status ?? 1);
  }
}

/** `{ path }` when Electron can run here, `{ reason }` when it cannot. */
function findElectron() {
  if (args.includes('--server') || process.env.ASSAY_HEADLESS === '1') {
    return { reason: 'the local server was asked for (--server / ASSAY_HEADLESS=1)' };
  }
  let binary;
  try {
    // The package exports the binary's path, and throws when its download was skipped.
    binary = createRequire(path.join(root, 'package.json'))('electron');
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { reason: `Electron's binary is not installed (${detail})` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { reason: `Electron's binary is not installed (${String(binary)} does not exist)` };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  // better-sqlite3 must be compiled for Electron's ABI, not Node's: check before opening a window.
  const probe = spawnSync(binary, ['-e', "require('better-sqlite3')"], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.status !== 0) {
    const abi = /NODE_MODULE_VERSION/.test(probe.stderr ?? '');
    return {
      reason: abi
        ? 'better-sqlite3 is compiled for Node.js, not for Electron ' +
          '(run `npx electron-rebuild -f -w better-sqlite3` to use the desktop app)'
        : `Electron could not load the native modules (${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]})`,
    };
  }
  return { path: binary };
}

/** The server takes --workspace, --port, --host (either `--x v` or `--x=v`); the rest is Electron's. */
function serverArgs() {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = /^--(workspace|port|host)(=|$)/.exec(arg);
    if (!name) continue;
    out.push(arg);
    if (name[2] === '' && i + 1 < args.length) out.push(args[++i]);
  }
  return out;
}

function flag(name, fallback) {
  for (let i = args.length - 1; i >= 0; i--) {
    if (args[i] === `--${name}` && i + 1 < args.length) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return fallback;
}

/** Runs a child in the foreground: signals go to it, its exit status becomes ours. */
function runForeground(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`assay: could not start ${command}: ${err.message}`);
    process.exit(1);
  });
}

build();
const electron = findElectron();
if (electron.path) {
  console.log('assay: launching the desktop app (Electron).');
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  runForeground(electron.path, ['.', ...args.filter((a) => a !== '--server')], env);
} else {
  const host = flag('host', '127.0.0.1');
  const port = flag('port', '8000');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  console.log(
    `assay: ${electron.reason}, so Assay runs as a local server: open http://${shownHost}:${port}/`,
  );
  runForeground(process.execPath, [
    path.join(root, 'dist/main/src-main/server.js'),
    ...serverArgs(),
  ]);
}
