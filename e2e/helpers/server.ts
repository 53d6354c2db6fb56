import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_JS = path.join(REPO_ROOT, 'dist/main/src-main/server.js');
const UI_INDEX = path.join(REPO_ROOT, 'dist/renderer/index.html');

export interface TestServer {
  readonly url: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built workstation server (`node dist/main/src-main/server.js`) on a free port with
 * its own workspace, exactly as `npm start` would without Electron, and waits for the line that
 * announces its URL. A separate process keeps the server's native modules and worker threads
 * out of the test runner.
 */
export async function startTestServer(workspaceDir: string): Promise<TestServer> {
  for (const f of [SERVER_JS, UI_INDEX]) {
    if (!existsSync(f))
      throw new Error(`${path.relative(REPO_ROOT, f)} is missing: run \`npm run build\` first`);
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [SERVER_JS, '--port', '0', '--workspace', workspaceDir],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ASSAY_WORKSPACE: workspaceDir },
    },
  );
  let log = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within 60 s:\n${log}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const m = /listening on (http:\/\/[^\s"]+)/.exec(log);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace(/[).,]+$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${log}`));
    });
  });

  return {
    url,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
