import { describe, expect, it } from 'vitest';
import { WorkstationError } from '../../src-shared/contract/index.js';
import {
  buildRequest,
  parseResponse,
  streamPath,
  schemaKeys,
  unwrapEnvelope,
} from '../../src-renderer/client/build-request.js';
import { operations, streams } from '../../src-shared/contract/index.js';

describe('buildRequest', () => {
  it('puts path params into the path, URL-encoded (a filename keeps its slash as %2F)', () => {
    const req = buildRequest('getItemInfo', {
      project_id: 'proj-0a1b2c3d',
      filename: 'cat/a b#1.png',
    });
    expect(req).toEqual({
      method: 'GET',
      url: '/api/datasets/proj-0a1b2c3d/images/cat%2Fa%20b%231.png/info',
      body: undefined,
    });
  });

  it('encodes a traversal attempt instead of letting it change the path', () => {
    const req = buildRequest('getProject', { id: '../../etc' });
    expect(req.url).toBe('/api/projects/..%2F..%2Fetc');
  });

  it('sends only declared query fields, skipping empty ones', () => {
    const req = buildRequest('listImages', {
      project_id: 'proj-0a1b2c3d',
      page: 2,
      page_size: 200,
      search: '',
      filter_class: undefined,
      sort_by: 'size',
      not_a_field: 'x',
    });
    const url = new URL(req.url, 'http://x');
    expect(url.pathname).toBe('/api/datasets/proj-0a1b2c3d/images');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      page: '2',
      page_size: '200',
      sort_by: 'size',
    });
    expect(req.body).toBeUndefined();
  });

  it('sends body fields as JSON and keeps path params out of the body', () => {
    const req = buildRequest('createSplit', {
      project_id: 'proj-0a1b2c3d',
      name: 's',
      ratios: { train: 0.8, val: 0.1, test: 0.1 },
      seed: 7,
      stratify: true,
    });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/splits/proj-0a1b2c3d');
    expect(JSON.parse(String(req.body ?? ''))).toEqual({
      name: 's',
      ratios: { train: 0.8, val: 0.1, test: 0.1 },
      seed: 7,
      stratify: true,
    });
  });

  it('reads the keys of a refined object schema (PATCH project)', () => {
    expect(schemaKeys(operations.updateProject.body)).toEqual(['name', 'task']);
    const req = buildRequest('updateProject', { id: 'proj-0a1b2c3d', name: 'New' });
    expect(req).toMatchObject({ method: 'PATCH', url: '/api/projects/proj-0a1b2c3d' });
    expect(JSON.parse(String(req.body ?? ''))).toEqual({ name: 'New' });
  });

  it('refuses to build a path with a missing parameter', () => {
    expect(() => buildRequest('getProject', {})).toThrow(WorkstationError);
  });

  it('covers every operation: each path parameter is declared in its params schema', () => {
    for (const [name, def] of Object.entries(operations)) {
      const declared = schemaKeys('params' in def ? def.params : undefined);
      const inPath = [...def.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]);
      expect([...declared].sort(), name).toEqual(inPath.sort());
    }
  });
});

describe('unwrapEnvelope / parseResponse', () => {
  it('returns data of an ok envelope', () => {
    expect(unwrapEnvelope({ status: 'ok', data: [1] }, 200)).toEqual([1]);
  });

  it('throws the server error code, message and status', () => {
    const body = { status: 'error', error: { code: 'not_found', message: 'no such project' } };
    try {
      unwrapEnvelope(body, 404);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WorkstationError);
      expect(e).toMatchObject({ code: 'not_found', message: 'no such project', httpStatus: 404 });
    }
  });

  it('treats a non-envelope reply as an error, not as data', () => {
    expect(() => unwrapEnvelope('<html>', 502)).toThrow(/HTTP 502/);
    expect(() => unwrapEnvelope(undefined, 200)).toThrow(WorkstationError);
  });

  it('rejects data that does not match the contract', () => {
    expect(() => parseResponse('listProjects', [{ id: 'nope' }])).toThrow(
      /does not match the contract/,
    );
    expect(parseResponse('listProjects', [])).toEqual([]);
  });
});

describe('streamPath', () => {
  it('fills a declared stream path from its params, encoded', () => {
    expect(streamPath(streams.runEvents, { project_id: 'proj-0a1b2c3d', run_id: 'run 1' })).toBe(
      '/api/training/proj-0a1b2c3d/runs/run%201/stream',
    );
    expect(streamPath(streams.jobEvents, { job_id: 'job-0a1b2c3d' })).toBe(
      '/api/jobs/job-0a1b2c3d/events',
    );
    expect(() => streamPath(streams.jobEvents, {})).toThrow(WorkstationError);
  });
});
