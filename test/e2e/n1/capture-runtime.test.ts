import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../helpers/test-database.ts';
import type { TestDatabase } from '../../helpers/test-database.ts';
import { expressCapture, runInRequest, startCapture } from '../../../src/capture/index.ts';
import { runN1 } from '../../../src/n1/run-n1.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('n1_capture');
  await t.exec('CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, $$u$$ || g FROM generate_series(1, 10) g;');
});
afterAll(async () => {
  await t.drop();
});

describe('db-optimize/capture', () => {
  it('records each statement with hashed parameters, its request and the application call site', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'c.ndjson');
    const lines: string[] = [];
    const capture = startCapture({ pg, file, devReport: { write: (l) => lines.push(l) } });
    await capture.ready;
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    try {
      await runInRequest('GET /users', async () => {
        for (let i = 1; i <= 6; i++) await pool.query('SELECT * FROM users WHERE id = $1', [i]);
      });
      await pool.query('SELECT count(*) FROM users');
    } finally {
      await pool.end();
      capture.stop();
    }
    expect(capture.queries()).toBe(7);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ t: 'capture', v: 1 });
    const queries = records.filter((r) => r.t === 'q');
    expect(queries).toHaveLength(7);
    expect(queries[0]?.cs).toMatch(/test\/e2e\/n1\/capture-runtime\.test\.ts:\d+:\d+$/);
    expect(new Set(queries.slice(0, 6).map((q) => (q.p as string[])[0])).size).toBe(6);
    expect(JSON.stringify(queries)).not.toContain('"1"');
    expect(queries[6]?.r).toBeNull();
    expect(records.find((r) => r.t === 'req')).toMatchObject({ label: 'GET /users', q: 6 });
    // the same judgment as `db-optimize n1` at defaults: 6 sub-millisecond lookups are an N+1
    expect(lines).toEqual([
      expect.stringMatching(/^\[db-optimize\] GET \/users: 6 queries; n1-query: 6 × SELECT \* FROM users WHERE id = \$1 at .*capture-runtime\.test\.ts:\d+:\d+ \(~[\d.]+ ms at 1 ms per round trip\)$/),
    ]);
  });

  it('attributes queries to requests through the Express-style middleware, across awaits', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'c.ndjson');
    const capture = startCapture({ pg, file });
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    const mw = expressCapture();
    const server = createServer((req, res) =>
      mw(req, res, () => {
        void (async () => {
          await pool.query('SELECT 1');
          await new Promise((r) => setTimeout(r, 5));
          await pool.query('SELECT 2');
          res.end('ok');
        })();
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await Promise.all([fetch(`http://127.0.0.1:${port}/a`).then((r) => r.text()), fetch(`http://127.0.0.1:${port}/b`).then((r) => r.text())]);
    await new Promise<void>((r) => server.close(() => r()));
    await pool.end();
    capture.stop();
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; r?: string; id?: string; label?: string; q?: number });
    const reqs = records.filter((r) => r.t === 'req');
    expect(reqs.map((r) => [r.label, r.q]).sort()).toEqual([
      ['GET /a', 2],
      ['GET /b', 2],
    ]);
    for (const req of reqs) expect(records.filter((r) => r.t === 'q' && r.r === req.id)).toHaveLength(2);
  });

  it('flags requests that each open their own connection, and not pooled ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-cap-'));
    const perRequest = join(dir, 'client-per-request.ndjson');
    let capture = startCapture({ pg, file: perRequest });
    for (let i = 0; i < 6; i++) {
      await runInRequest(`GET /orders/${i}`, async () => {
        const client = new pg.Client({ connectionString: t.url });
        await client.connect();
        await client.query('SELECT * FROM users WHERE id = $1', [i]);
        await client.end();
      });
    }
    capture.stop();
    const pooledFile = join(dir, 'pooled.ndjson');
    capture = startCapture({ pg, file: pooledFile });
    const pool = new pg.Pool({ connectionString: t.url, max: 1 });
    for (let i = 0; i < 6; i++) await runInRequest(`GET /orders/${i}`, () => pool.query('SELECT * FROM users WHERE id = $1', [i]));
    await pool.end();
    capture.stop();
    const bad = await runN1({ captures: [perRequest] });
    expect(bad.findings.map((f) => [f.rule, f.evidence.requestsOnNewConnections])).toEqual([['n1-no-pooling', 6]]);
    expect(bad.findings[0]?.fix?.content).toContain('new pg.Pool(');
    expect((await runN1({ captures: [pooledFile] })).findings).toEqual([]);
  });

  it('records one request in four with sampleRate 0.25, nothing outside them, and still finds the N+1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'sampled.ndjson');
    const capture = startCapture({ pg, file, sampleRate: 0.25 });
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    try {
      for (let r = 0; r < 8; r++) {
        await runInRequest(`GET /users/${r}`, async () => {
          for (let i = 1; i <= 6; i++) await pool.query('SELECT * FROM users WHERE id = $1', [i]);
        });
        await pool.query('SELECT count(*) FROM users');
      }
    } finally {
      await pool.end();
      capture.stop();
    }
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r.t === 'req').map((r) => r.label)).toEqual(['GET /users/0', 'GET /users/4']);
    expect(records.filter((r) => r.t === 'q')).toHaveLength(12);
    const result = await runN1({ captures: [file] });
    expect(result.findings.map((f) => [f.rule, f.evidence.units])).toEqual([['n1-query', 2]]);
  });
});
