import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORM_LIBRARY_SCHEMA, startOrmLibrary } from '../../apps/orm-library/start.ts';
import { startLoggingPostgres } from '../../helpers/logging-postgres.ts';
import type { LoggingPostgres } from '../../helpers/logging-postgres.ts';
import { queriesPerRequest } from '../../helpers/node-shop.ts';
import { runCli } from '../../helpers/run-cli.ts';

interface Finding {
  rule: string;
  evidence: { statements: string[]; orm: string | null; expectedQueriesAfter: number };
  fix?: { content: string };
}

const ROUTES = { typeorm: ['/typeorm/authors', '/typeorm/authors-reviews'], 'mikro-orm': ['/mikro-orm/authors', '/mikro-orm/authors-reviews'] };
const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-ormlog-'));
let server: LoggingPostgres;
let url: string;
let findings: Finding[];

beforeAll(async () => {
  server = await startLoggingPostgres();
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE library');
  url = server.url('library');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(ORM_LIBRARY_SCHEMA);
  await c.end();
  const start = readFileSync(server.logFile, 'utf8').length;
  const app = await startOrmLibrary(url, join(dir, 'broken.ndjson'));
  try {
    for (let round = 0; round < 3; round++) for (const path of Object.values(ROUTES).flat()) await app.get(path);
  } finally {
    await app.stop();
  }
  // everything before this marker is in the log once the marker is
  await admin.query("SELECT 'orm-library-log-marker'");
  let log = readFileSync(server.logFile, 'utf8');
  for (let i = 0; i < 200 && !log.includes('orm-library-log-marker'); i++) {
    await new Promise((r) => setTimeout(r, 25));
    log = readFileSync(server.logFile, 'utf8');
  }
  await admin.end();
  const file = join(dir, 'library.log');
  writeFileSync(file, log.slice(start));
  // defaults: the ORM is recognised from the SQL it writes, the relationship guessed from it
  const r = await runCli(['n1', '--log', file, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(0);
  findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}, 240_000);
afterAll(async () => {
  await server?.stop();
});

describe('n1 on the TypeORM and MikroORM apps from the server log, defaults', () => {
  it('names each ORM from its SQL and prints fixes that run and issue the predicted query count', async () => {
    // a log has no request ids: whether the 1 + N stays apart from the nested route's unit depends on
    // pauses between requests, so only the nested N + 1 of each ORM is certain to be reported alone
    expect(findings.map((f) => f.evidence.orm).sort()).toEqual(expect.arrayContaining(['mikro-orm', 'typeorm']));
    expect(findings.every((f) => f.evidence.orm === 'typeorm' || f.evidence.orm === 'mikro-orm')).toBe(true);
    for (const orm of Object.keys(ROUTES)) {
      expect(findings.some((f) => f.evidence.orm === orm && f.rule === 'n1-repeating-group' && f.evidence.statements.length === 2), orm).toBe(true);
    }
    // the ORM code fixes loops; a repeated-identical finding (requests merged in a log without request
    // ids) carries a generic TypeScript cache sketch, not a route to run
    const loops = findings.filter((f) => f.rule !== 'n1-repeated-identical');
    const capture = join(dir, 'fixed.ndjson');
    const app = await startOrmLibrary(url, capture);
    try {
      for (const [i, f] of loops.entries()) {
        await app.post(`/${f.evidence.orm ?? ''}/fix/finding-${i}`, (f.fix?.content ?? '').split('\n\n-- the batched SQL')[0] ?? '');
      }
    } finally {
      await app.stop();
    }
    const counts = queriesPerRequest(capture);
    for (const [i, f] of loops.entries()) {
      expect(counts.get(`POST /${f.evidence.orm ?? ''}/fix/finding-${i}`), `${f.evidence.orm} ${f.rule}`).toEqual([f.evidence.expectedQueriesAfter]);
    }
  });
});
