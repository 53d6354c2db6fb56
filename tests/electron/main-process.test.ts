// The main process's wiring, run under Node with Electron's modules stood in for (its binary is
// not installed on this project's machines): what it registers before and after `ready`, that the
// window gets the preload and the app URL, that both custom protocols serve real files from a real
// workstation, that the API starts beside the window, and that quitting closes everything.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { mediaUrlFor } from '../../src-shared/contract/ipc.js';
import type { Job } from '../../src-shared/contract/jobs.js';
import { ipcChannel } from '../../src-shared/contract/operations.js';
import { streamChannels, type StreamMessage } from '../../src-shared/contract/stream-ipc.js';

type Fn = (...args: never[]) => unknown;
type ProtocolHandler = (request: Request) => Promise<Response>;
type IpcHandler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;
interface MenuItem {
  label?: string;
  role?: string;
  submenu?: MenuItem[];
  click?: () => void;
}

const fake = vi.hoisted(() => {
  const state = {
    appPath: '',
    privileged: [] as string[],
    appListeners: new Map<string, Fn[]>(),
    protocols: new Map<string, ProtocolHandler>(),
    ipc: new Map<string, IpcHandler>(),
    windows: [] as { options: { webPreferences: Record<string, unknown> }; loaded: string[] }[],
    menu: [] as MenuItem[],
    opened: [] as string[],
    errors: [] as string[],
    headerHooks: 0,
    quits: 0,
  };
  class FakeWebContents {
    setWindowOpenHandler(): void {}
    on(): this {
      return this;
    }
    once(): this {
      return this;
    }
    send(): void {}
  }
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      BrowserWindow.all.push(this);
      state.windows.push(this);
    }
    static getAllWindows(): BrowserWindow[] {
      return BrowserWindow.all;
    }
    static getFocusedWindow(): BrowserWindow | null {
      return null;
    }
    once(): this {
      return this;
    }
    on(): this {
      return this;
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
    }
  }
  const module = {
    app: {
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      getAppPath: () => state.appPath,
      getVersion: () => '0.0.0-test',
      on: (event: string, fn: Fn) => {
        state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), fn]);
      },
      quit: () => {
        state.quits += 1;
      },
      exit: (code: number) => {
        state.errors.push(`exit ${code}`);
      },
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) =>
        state.privileged.push(...schemes.map((s) => s.scheme)),
    },
    session: {
      defaultSession: {
        protocol: {
          handle: (scheme: string, handler: ProtocolHandler) =>
            state.protocols.set(scheme, handler),
        },
        webRequest: {
          onHeadersReceived: () => {
            state.headerHooks += 1;
          },
        },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    ipcMain: {
      handle: (channel: string, handler: IpcHandler) => state.ipc.set(channel, handler),
      removeHandler: (channel: string) => state.ipc.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => {
        state.menu = template;
        return template;
      },
      setApplicationMenu: () => undefined,
    },
    dialog: {
      showErrorBox: (title: string, body: string) => state.errors.push(`${title}: ${body}`),
      showMessageBox: async (opts: { message: string; detail?: string }) => {
        state.errors.push(`${opts.message}: ${opts.detail ?? ''}`);
        return { response: 0 };
      },
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    },
    shell: {
      openExternal: async (url: string) => {
        state.opened.push(url);
      },
      openPath: async () => '',
    },
  };
  return { state, module };
});

vi.mock('electron', () => fake.module);

let root: string;
const argv = process.argv;

function findItem(items: MenuItem[], label: string): MenuItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? findItem(item.submenu, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-main-'));
  fake.state.appPath = path.join(root, 'app');
  await mkdir(path.join(fake.state.appPath, 'dist', 'renderer', 'assets'), { recursive: true });
  await writeFile(
    path.join(fake.state.appPath, 'dist', 'renderer', 'index.html'),
    '<!doctype html><title>Assay</title>',
  );
  await writeFile(path.join(fake.state.appPath, 'dist', 'renderer', 'assets', 'app.js'), '1;');
  await writeFile(path.join(root, 'secret.txt'), 'outside the renderer');
  process.argv = ['electron', '.', '--workspace', path.join(root, 'ws'), '--port=0'];
  process.env['ASSAY_LOG_LEVEL'] = 'silent';
  await import('../../src-main/electron/main.js');
  await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1), { timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  process.argv = argv;
  await rm(root, { recursive: true, force: true });
});

describe('Electron main process', () => {
  it('privileges both schemes before ready and opens one locked-down window on the app URL', () => {
    expect(fake.state.privileged).toEqual(['assay', 'assay-media']);
    expect(fake.state.errors).toEqual([]);
    const [win] = fake.state.windows;
    expect(win?.loaded).toEqual(['assay://app/index.html']);
    expect(win?.options.webPreferences).toMatchObject({
      preload: path.join(fake.state.appPath, 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(fake.state.headerHooks).toBe(1);
    for (const event of [
      'second-instance',
      'web-contents-created',
      'window-all-closed',
      'will-quit',
    ]) {
      expect(fake.state.appListeners.has(event)).toBe(true);
    }
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const serve = fake.state.protocols.get('assay');
    expect(serve).toBeDefined();
    const index = await serve!(new Request('assay://app/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await index.text()).toContain('<title>Assay</title>');
    const js = await serve!(new Request('assay://app/assets/app.js'));
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const escape = await serve!(new Request('assay://app/..%2F..%2Fsecret.txt'));
    expect(escape.status).toBe(404);
    const post = await serve!(new Request('assay://app/index.html', { method: 'POST' }));
    expect(post.status).toBe(405);
  });

  it('serves item files and thumbnails over assay-media:// from the store', async () => {
    const call = async <T>(channel: string, arg: unknown): Promise<T> => {
      const handler = fake.state.ipc.get(channel);
      const sent: StreamMessage[] = [];
      const sender = {
        id: 7,
        send: (ch: string, msg: StreamMessage) =>
          ch === streamChannels('jobEvents').event && sent.push(msg),
        on: () => sender,
        once: () => sender,
        isDestroyed: () => false,
      };
      const result = await handler!(
        { senderFrame: { url: 'assay://app/index.html' }, sender },
        arg,
      );
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    const project = await call<{ id: string }>(ipcChannel('createProject'), { name: 'Media' });
    const folder = path.join(root, 'images', 'red');
    await mkdir(folder, { recursive: true });
    await sharp({ create: { width: 20, height: 10, channels: 3, background: '#c33' } })
      .png()
      .toFile(path.join(folder, 'a.png'));
    const { job_id } = await call<{ job_id: string }>(ipcChannel('importLocal'), {
      project_id: project.id,
      path: path.dirname(folder),
    });
    await call(streamChannels('jobEvents').subscribe, {
      subscription: 'media',
      params: { job_id },
    });
    await vi.waitFor(
      async () => {
        const job = await call<Job>(ipcChannel('getJob'), { job_id });
        expect(job.status).toBe('completed');
      },
      { timeout: 30_000, interval: 50 },
    );

    const media = fake.state.protocols.get('assay-media')!;
    const file = await media(new Request(mediaUrlFor(project.id, 'red/a.png', 'file')));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(20);

    const thumb = await media(new Request(mediaUrlFor(project.id, 'red/a.png', 'thumbnail')));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toMatch(/^image\//);

    const ranged = await media(
      new Request(mediaUrlFor(project.id, 'red/a.png', 'file'), {
        headers: { range: 'bytes=0-7' },
      }),
    );
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );

    for (const url of [
      mediaUrlFor(project.id, 'red/missing.png', 'file'),
      mediaUrlFor(project.id, '../../assay.db', 'file'),
      mediaUrlFor('proj-00000000', 'red/a.png', 'file'),
      'assay-media://media/../../etc/passwd',
    ]) {
      expect((await media(new Request(url))).status, url).toBe(404);
    }
  });

  it('runs the lab-script API beside the window, on the same workstation', async () => {
    findItem(fake.state.menu, 'API Documentation')?.click?.();
    const docs = fake.state.opened.at(-1);
    expect(docs).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/docs$/);
    const base = docs!.replace(/\/docs$/, '');
    const listed = (await (await fetch(`${base}/api/projects`)).json()) as {
      data: { name: string }[];
    };
    expect(listed.data.map((p) => p.name)).toContain('Media');
  });

  it('closes the API and the workstation on quit, then quits', async () => {
    const willQuit = fake.state.appListeners.get('will-quit')?.[0] as
      ((event: { preventDefault: () => void }) => void) | undefined;
    const base = fake.state.opened.at(-1)!.replace(/\/docs$/, '');
    let prevented = false;
    willQuit!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(fake.state.quits).toBe(1), { timeout: 10_000 });
    await expect(fetch(`${base}/api/projects`)).rejects.toThrow();
    expect(fake.state.ipc.size).toBe(0);
    // The second will-quit (from that quit) goes through.
    prevented = false;
    willQuit!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(false);
  });
});
