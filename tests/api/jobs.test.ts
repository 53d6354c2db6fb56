// Jobs: GET /api/jobs/:id, cancel, and the SSE stream read by a real HTTP client.
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import { Job } from '../../src-shared/contract/jobs.js';
import { classImages, writeTree } from './helpers/media.js';
import {
  createProject,
  expectError,
  listen,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';

let t: TestApp;
let server: { port: number; close(): Promise<void> };

beforeAll(async () => {
  t = await openTestApp();
  server = await listen(t.app);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Reads an event stream until the server closes it; returns the events and the headers. */
function readEventStream(urlPath: string): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: number;
}> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: server.port,
        path: urlPath,
        headers: { Accept: 'text/event-stream' },
      },
      (res) => {
        let buffer = '';
        const events: SseEvent[] = [];
        let comments = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments++;
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) events.push({ event, data: data.join('\n') });
          }
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, events, comments }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

async function startImport(
  count: number,
  seed: number,
): Promise<{ jobId: string; projectId: string }> {
  const p = await createProject(t.app, `Jobs ${seed}`);
  const folder = await writeTree(
    path.join(t.root, `src-${seed}`),
    await classImages({ k: count }, seed),
  );
  const started = okData(
    await request(t.app).post(`/api/datasets/${p.id}/import/local`).send({ path: folder }),
    ImportStarted,
  );
  return { jobId: started.job_id, projectId: p.id };
}

describe('jobs', () => {
  it('reports a job with the documented shape until it completes', async () => {
    const { jobId, projectId } = await startImport(4, 100);
    const first = okData(await request(t.app).get(`/api/jobs/${jobId}`), Job);
    expect(first).toMatchObject({ id: jobId, kind: 'import', project_id: projectId });
    const done = await waitForJob(t.app, jobId);
    expect(done.status).toBe('completed');
    expect(done.done).toBe(done.total);
    expect(done.result).toMatchObject({ imported: 4, duplicates: 0, failed: 0, errors: [] });
    expect(done.error).toBeNull();
  });

  it('streams progress over SSE and closes after the terminal event', async () => {
    const { jobId } = await startImport(12, 200);
    const stream = await readEventStream(`/api/jobs/${jobId}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.events.length).toBeGreaterThan(0);
    const jobs = stream.events.map((e) => Job.parse(JSON.parse(e.data)));
    expect(jobs.every((j) => j.id === jobId)).toBe(true);
    const last = stream.events.at(-1);
    expect(last?.event).toBe('done');
    expect(jobs.at(-1)?.status).toBe('completed');
    expect(jobs.at(-1)?.result?.imported).toBe(12);
    // Every event before the last is progress, and progress never goes backwards.
    expect(stream.events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    const dones = jobs.map((j) => j.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    // Progress carries an estimate of the time left once files have gone through; 0 at the end.
    expect(jobs.some((j) => j.status === 'running' && j.done > 0 && j.eta_seconds !== null)).toBe(
      true,
    );
    expect(jobs.at(-1)?.eta_seconds).toBe(0);
  });

  it('sends the finished job at once as `done` when subscribing late', async () => {
    const { jobId } = await startImport(2, 300);
    await waitForJob(t.app, jobId);
    const stream = await readEventStream(`/api/jobs/${jobId}/events`);
    expect(stream.events.map((e) => e.event)).toEqual(['done']);
  });

  it('cancels: the job ends and cancelling again is harmless', async () => {
    const { jobId } = await startImport(3, 400);
    const res = await request(t.app).post(`/api/jobs/${jobId}/cancel`);
    const cancelled = okData(res, Job);
    expect(cancelled.id).toBe(jobId);
    const end = await waitForJob(t.app, jobId);
    expect(['cancelled', 'completed']).toContain(end.status);
    const again = okData(await request(t.app).post(`/api/jobs/${jobId}/cancel`), Job);
    expect(again.status).toBe(end.status);
  });

  it('answers 404 for unknown jobs and 400 for malformed ids, SSE included', async () => {
    expectError(await request(t.app).get('/api/jobs/job-00000000'), 404, 'not_found');
    expectError(await request(t.app).post('/api/jobs/job-00000000/cancel'), 404, 'not_found');
    expectError(await request(t.app).get('/api/jobs/job-00000000/events'), 404, 'not_found');
    expectError(await request(t.app).get('/api/jobs/..%2Fx'), 400, 'validation_error');
    expectError(await request(t.app).get('/api/jobs/nope/events'), 400, 'validation_error');
  });
});
