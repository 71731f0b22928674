/**
 * The request context must survive the request's own event-emitter callbacks: a POST handler
 * reads its body in req.on('data'/'end'), which node:http emits from the socket's context,
 * not the request's, so AsyncLocalStorage alone loses the request there.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../helpers/test-database.ts';
import type { TestDatabase } from '../../helpers/test-database.ts';
import { expressCapture, startCapture, withRequestCapture } from '../../../src/capture/index.ts';
import { runN1 } from '../../../src/n1/run-n1.ts';

let t: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  t = await createTestDatabase('n1_capture_body');
  await t.exec('CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, $$u$$ || g FROM generate_series(1, 10) g;');
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await t.drop();
});

/** Reads a JSON body the way body parsers do: chunks in 'data', the parse in 'end'. */
function readJson(req: IncomingMessage, done: (body: { ids: number[] }) => void): void {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk));
  req.on('end', () => done(JSON.parse(text) as { ids: number[] }));
}

/** The N+1: one lookup per id, each awaited. */
async function lookUpEach(ids: number[], res: ServerResponse): Promise<void> {
  const names: unknown[] = [];
  for (const id of ids) names.push((await pool.query('SELECT name FROM users WHERE id = $1', [id])).rows[0]);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(names));
}

async function serve(listener: RequestListener, posts: number): Promise<void> {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    for (let i = 0; i < posts; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/users/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [1, 2, 3, 4, 5, 6] }) });
      expect(res.status).toBe(200);
      await res.text();
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

interface Line {
  t: string;
  id?: string;
  r?: string | null;
  label?: string;
  q?: number;
}
const readCapture = (file: string): Line[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);

async function expectAttributedN1(file: string, requests: number): Promise<void> {
  const records = readCapture(file);
  const reqs = records.filter((r) => r.t === 'req');
  expect(reqs.map((r) => [r.label, r.q])).toEqual(Array.from({ length: requests }, () => ['POST /users/lookup', 6]));
  for (const req of reqs) expect(records.filter((r) => r.t === 'q' && r.r === req.id)).toHaveLength(6);
  const result = await runN1({ captures: [file] });
  expect(result.findings.map((f) => [f.rule, f.evidence.units])).toEqual([['n1-query', requests]]);
}

describe('db-optimize/capture with request bodies', () => {
  it('attributes the queries of a node:http POST handler that reads its body with req.on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'c.ndjson');
    const capture = startCapture({ pg, file });
    try {
      await serve(withRequestCapture((req, res) => readJson(req, (body) => void lookUpEach(body.ids, res))), 2);
    } finally {
      capture.stop();
    }
    await expectAttributedN1(file, 2);
  });

  it('attributes the queries of a route behind a body-parsing middleware (expressCapture first)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'c.ndjson');
    const capture = startCapture({ pg, file });
    const mw = expressCapture();
    // the middleware chain as Express runs it: capture, then a JSON body parser calling next()
    // from its 'end' listener, then the route
    const listener: RequestListener = (req, res) => mw(req, res, () => readJson(req, (body) => void lookUpEach(body.ids, res)));
    try {
      await serve(listener, 2);
    } finally {
      capture.stop();
    }
    await expectAttributedN1(file, 2);
  });

  it('with sampleRate 0.5, attributes the sampled POSTs and leaves the others unrecorded', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'c.ndjson');
    const capture = startCapture({ pg, file, sampleRate: 0.5 });
    try {
      await serve(withRequestCapture((req, res) => readJson(req, (body) => void lookUpEach(body.ids, res))), 4);
    } finally {
      capture.stop();
    }
    const records = readCapture(file);
    expect(records.filter((r) => r.t === 'q' && (r.r === null || r.r === undefined))).toEqual([]);
    await expectAttributedN1(file, 2);
  });

  it('ends a request whose client goes away before the response, with its queries', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dbo-cap-')), 'c.ndjson');
    const capture = startCapture({ pg, file, sampleRate: 0.5 });
    const abort = new AbortController();
    let queried!: () => void;
    const ready = new Promise<void>((r) => (queried = r));
    let closed!: () => void;
    const gone = new Promise<void>((r) => (closed = r));
    const server = createServer(
      withRequestCapture((req, res) =>
        readJson(req, (body) => {
          res.once('close', () => closed());
          // the N+1, then no response: the client aborts while the request is open
          void (async () => {
            for (const id of body.ids) await pool.query('SELECT name FROM users WHERE id = $1', [id]);
            queried();
          })();
        }),
      ),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const sent = fetch(`http://127.0.0.1:${port}/users/lookup`, { method: 'POST', body: JSON.stringify({ ids: [1, 2, 3, 4, 5, 6] }), signal: abort.signal });
      await ready;
      abort.abort();
      await expect(sent).rejects.toThrow();
      await gone;
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      capture.stop();
    }
    // without an end on 'close' the request stayed in flight forever (and, sampled, kept the
    // request context switched on for every later request)
    await expectAttributedN1(file, 1);
  });
});
