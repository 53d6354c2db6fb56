// The workstation server as the bench steps start it: the built one (dist/) when present,
// otherwise the sources through tsx; `base` resolves to its URL once it says it is listening.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `needs`: a path under dist/ that a usable build must have (a stale dist without the family
 * being measured would answer 404), default the server itself.
 */
export function startServer(workspace, { env = {}, needs } = {}) {
  const built = path.join(root, 'dist', 'main', 'src-main', 'server.js');
  const fresh = existsSync(needs ? path.join(root, 'dist', needs) : built);
  const args = fresh ? [built] : ['--import', 'tsx', path.join(root, 'src-main', 'server.ts')];
  const child = spawn(process.execPath, [...args, '--port', '0', '--workspace', workspace], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  const base = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return { child, exited, base, source: fresh ? 'dist' : 'tsx' };
}

/** A training-platform call: JSON in, the ok envelope's `data` out, anything else thrown. */
export async function call(base, method, urlPath, body) {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200)
    throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}
