#!/usr/bin/env node
// End-to-end tests: the browser project (built UI + real server in Debian's Chromium), then the
// Electron project (whose specs skip themselves, with the reason, where Electron's binary is
// absent). Builds first when dist/ is missing or older than the sources, so `npm run test:e2e`
// alone is enough; `npm test` has built already and this finds nothing to do.
//
// Usage: node scripts/run-e2e.mjs [--no-build] [extra playwright args, e.g. -g "split"]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const extra = args.filter((a) => a !== '--no-build');

// Never download a browser; the tests use /usr/bin/chromium (or $ASSAY_CHROMIUM).
const env = {
  ...process.env,
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
};

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function run(cmd, cmdArgs) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const outputs = ['dist/main/src-main/server.js', 'dist/renderer/index.html'].map((f) =>
  path.join(root, f),
);
const sources = [
  'src-main',
  'src-shared',
  'src-renderer',
  'src-preload',
  'package.json',
  'vite.config.ts',
];
const oldestOutput = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (!noBuild && oldestOutput < newestSource) {
  console.log('e2e: dist/ is missing or older than the sources; building first.');
  if (run('npm', ['run', 'build']) !== 0) process.exit(1);
}

const playwright = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');
let failed = false;
for (const project of ['browser', 'electron']) {
  console.log(`\n=== e2e: ${project} ===`);
  const status = run(process.execPath, [
    playwright,
    'test',
    `--project=${project}`,
    '--pass-with-no-tests',
    ...extra,
  ]);
  if (status !== 0) failed = true;
}
console.log(
  `\ne2e: ${failed ? 'FAILED' : 'passed'}. Screenshots: e2e/artifacts/screenshots/, ` +
    'traces of failures: e2e/artifacts/test-results/<project>/ (npx playwright show-trace <zip>)',
);
process.exit(failed ? 1 : 0);
