// The real server as a child process (`node --import tsx src-main/server.ts`), for tests that kill
// it with SIGKILL mid-work and start it again on the same workspace.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<number | null>;
}

/** Starts the server on a free port; resolves once it listens. */
export async function startServer(
  workspace: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/server.ts', '--port', '0', '--workspace', workspace],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`server exited (${code}) before listening:\n${output}`)),
    );
  });
  return { child, base, exited };
}

/** One training-platform call: the `data` of a 200 reply, parsed; throws on anything else. */
export async function api<T extends z.ZodType>(
  server: ServerProcess,
  method: string,
  urlPath: string,
  schema: T,
  body?: unknown,
): Promise<z.output<T>> {
  const res = await fetch(`${server.base}${urlPath}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { status: string; data?: unknown };
  if (res.status !== 200)
    throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(json)}`);
  return schema.parse(json.data);
}

/** SIGKILL: no orderly shutdown, as a crash or a power cut. */
export async function killHard(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}
