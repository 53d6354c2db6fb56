// The curation routes over HTTP: the training platform's envelope, its statuses for bad input, and
// a relabel / delete / undo seen through the documented dataset routes.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ItemChangeResult,
  LastItemChange,
  UndoResult,
} from '../../src-shared/contract/curation.js';
import { DatasetInfo, ImportStarted } from '../../src-shared/contract/datasets.js';
import { writeImageDataset } from './training-helpers.js';
import {
  createProject,
  expectError,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';

let t: TestApp;
let pid: string;
const items = (p = '') => `/api/datasets/${pid}/items${p}`;

beforeAll(async () => {
  t = await openTestApp();
  pid = (await createProject(t.app, 'Curate')).id;
  const dir = await mkdtemp(path.join(t.root, 'data-'));
  await writeImageDataset(dir, 3, ['left', 'right']);
  const started = okData(
    await request(t.app).post(`/api/datasets/${pid}/import/local`).send({ path: dir }),
    ImportStarted,
  );
  expect((await waitForJob(t.app, started.job_id)).status).toBe('completed');
});
afterAll(async () => {
  await t.close();
});

describe('curation routes', () => {
  it('relabels, deletes and undoes, with the dataset counts following', async () => {
    const moved = okData(
      await request(t.app)
        .patch(items())
        .send({ filenames: ['left/left-0.png', 'left/left-1.png'], class_name: 'right' }),
      ItemChangeResult,
    );
    expect(moved).toMatchObject({ changed: 2, runs_using: 0 });
    const info = okData(await request(t.app).get(`/api/datasets/${pid}`), DatasetInfo);
    expect(info.class_counts.find((c) => c.name === 'right')?.count).toBe(5);

    okData(
      await request(t.app)
        .post(items('/delete'))
        .send({ filenames: ['right/right-0.png'] }),
      ItemChangeResult,
    );
    const last = okData(await request(t.app).get(items('/last-change')), LastItemChange);
    expect(last.change).toMatchObject({ kind: 'delete', item_count: 1 });
    const undone = okData(await request(t.app).post(items('/undo')), UndoResult);
    expect(undone).toMatchObject({ kind: 'delete', changed: 1 });
    await request(t.app)
      .get(`/api/datasets/${pid}/images/${encodeURIComponent('right/right-0.png')}/info`)
      .expect(200);
  });

  it('refuses bad input with the right status and changes nothing', async () => {
    expectError(
      await request(t.app).patch(items()).send({ filenames: [], class_name: 'x' }),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app)
        .patch(items())
        .send({ filenames: ['left/left-2.png'], class_name: 'a/b' }),
      400,
      'bad_request',
    );
    expectError(
      await request(t.app)
        .post(items('/delete'))
        .send({ filenames: ['nope.png'] }),
      404,
      'not_found',
    );
    expectError(
      await request(t.app)
        .patch('/api/datasets/proj-00000000/items')
        .send({
          filenames: ['a.png'],
          class_name: 'x',
        }),
      404,
      'not_found',
    );
    const info = okData(await request(t.app).get(`/api/datasets/${pid}`), DatasetInfo);
    expect(info.total_items).toBe(6);
  });
});
