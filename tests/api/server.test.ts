// The headless entry: startServer() on a real port, loopback-only binding, default workspace.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src-shared/contract/system.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { defaultWorkspaceDir, isLoopbackAddress, startServer } from '../../src-main/server.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-server-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('startServer', () => {
  it('listens on loopback, serves /health over real HTTP, and closes', async () => {
    const server = await startServer({
      workspaceDir: path.join(root, 'ws'),
      port: 0,
      logger: silentLogger,
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/health`);
      expect(res.status).toBe(200);
      expect(Health.parse(await res.json()).status).toBe('healthy');
      const root = await fetch(`${server.url}/`);
      expect(await root.json()).toEqual({ message: 'Backend is connected!' });
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('refuses a non-loopback host, with or without --allow-remote', async () => {
    await expect(
      startServer({
        workspaceDir: path.join(root, 'ws2'),
        host: '0.0.0.0',
        port: 0,
        logger: silentLogger,
      }),
    ).rejects.toThrow(/non-loopback/);
    await expect(
      startServer({
        workspaceDir: path.join(root, 'ws2'),
        host: '192.168.1.10',
        port: 0,
        allowRemote: true,
        logger: silentLogger,
      }),
    ).rejects.toThrow(/authentication/);
  });

  it('reports a port in use clearly', async () => {
    const first = await startServer({
      workspaceDir: path.join(root, 'ws3'),
      port: 0,
      logger: silentLogger,
    });
    try {
      await expect(
        startServer({
          workspaceDir: path.join(root, 'ws4'),
          port: first.port,
          logger: silentLogger,
        }),
      ).rejects.toThrow(/already in use/);
    } finally {
      await first.close();
    }
  });
});

describe('defaults', () => {
  it('picks the OS app-data folder', () => {
    expect(defaultWorkspaceDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/Assay');
    expect(defaultWorkspaceDir({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u')).toBe('/data/Assay');
    expect(defaultWorkspaceDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.local/share/Assay',
    );
    expect(defaultWorkspaceDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Assay',
    );
    expect(
      defaultWorkspaceDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'),
    ).toBe(path.join('C:\\Users\\u\\AppData\\Roaming', 'Assay'));
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'])
      expect(isLoopbackAddress(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.0.1', 'example.com'])
      expect(isLoopbackAddress(h)).toBe(false);
  });
});
