import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import { z } from 'zod';
import { ErrorBody, type ErrorCode } from '../../../src-shared/contract/common.js';
import { Job } from '../../../src-shared/contract/jobs.js';
import { Project } from '../../../src-shared/contract/projects.js';
import { createApp } from '../../../src-main/api/app.js';
import { silentLogger } from '../../../src-main/core/services/logger.js';
import {
  openWorkstation,
  type ImportLimits,
  type Workstation,
} from '../../../src-main/core/workstation.js';

export interface TestApp {
  readonly app: express.Express;
  readonly ws: Workstation;
  /** The workspace folder (inside `root`). */
  readonly workspaceDir: string;
  /** A temp folder for the test's own files (source folders, ZIPs); removed on close. */
  readonly root: string;
  close(): Promise<void>;
}

/** A real workstation on a fresh temp workspace, and the Express app over it. */
export async function openTestApp(
  opts: {
    limits?: Partial<ImportLimits>;
    uiDir?: string;
    taskHoldMs?: number;
    bodyIdleMs?: number;
  } = {},
): Promise<TestApp> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assay-api-'));
  const workspaceDir = path.join(root, 'workspace');
  const ws = await openWorkstation({
    workspaceDir,
    version: '0.0.0-test',
    logger: silentLogger,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.taskHoldMs ? { taskHoldMs: opts.taskHoldMs } : {}),
  });
  const app = createApp(ws, {
    port: 0,
    logger: silentLogger,
    heartbeatMs: 50,
    ...(opts.uiDir ? { uiDir: opts.uiDir } : {}),
    ...(opts.bodyIdleMs === undefined ? {} : { bodyIdleMs: opts.bodyIdleMs }),
  });
  return {
    app,
    ws,
    workspaceDir,
    root,
    close: async () => {
      await ws.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Asserts the ok envelope and returns `data` parsed with the contract's response schema. */
export function okData<S extends z.ZodType>(res: HttpReply, schema: S): z.output<S> {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const body = z.object({ status: z.literal('ok'), data: z.unknown() }).parse(res.body);
  return schema.parse(body.data);
}

/** Asserts the error envelope with the given HTTP status and code. */
/** What a supertest response (or a raw one, parsed) offers to the assertions below. */
export interface HttpReply {
  readonly status: number;
  readonly body: unknown;
}

export function expectError(res: HttpReply, status: number, code: ErrorCode): ErrorBody {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = ErrorBody.parse(res.body);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

export async function createProject(
  app: express.Express,
  name = 'Test project',
  task = 'classification',
): Promise<Project> {
  return okData(await request(app).post('/api/projects').send({ name, task }), Project);
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** Polls `GET /api/jobs/:id` until the job ends (the test timeout bounds the wait). */
export async function waitForJob(app: express.Express, jobId: string): Promise<Job> {
  for (;;) {
    const job = okData(await request(app).get(`/api/jobs/${jobId}`), Job);
    if (TERMINAL.has(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `cat/img 1.png` → `cat%2Fimg%201.png`, as URLs carry filenames. */
export const enc = (filename: string): string => encodeURIComponent(filename);

/** The app on a real loopback port, for clients that need a socket (SSE, chunked uploads). */
export async function listen(
  app: express.Express,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** A raw HTTP request; `body` pieces are written one by one (chunked unless a length is set). */
export function rawRequest(
  port: number,
  opts: {
    method: string;
    path: string;
    headers?: http.OutgoingHttpHeaders;
    body?: readonly Buffer[];
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    // The server may answer (413) before the whole body is sent and stop reading: that is fine.
    req.on('error', reject);
    for (const piece of opts.body ?? []) req.write(piece);
    req.end();
  });
}
