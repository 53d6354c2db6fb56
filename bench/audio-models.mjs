#!/usr/bin/env node
// audio-models benchmark (a hook of scripts/bench.mjs): runs bench/audio-models.ts from the
// sources (it opens a workstation in-process, like bench/audio-dataset.ts), passing its flags on.
// Writes bench/results/audio-models.json.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench', 'audio-models.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code) => process.exit(code ?? 1));
