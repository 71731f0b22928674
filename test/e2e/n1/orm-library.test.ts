import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORM_LIBRARY_SCHEMA, startOrmLibrary } from '../../apps/orm-library/start.ts';
import { queriesPerRequest } from '../../helpers/node-shop.ts';
import { reportSchemaErrors } from '../../helpers/report-schema.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { createTestDatabase } from '../../helpers/test-database.ts';
import type { TestDatabase } from '../../helpers/test-database.ts';

interface N1Finding {
  rule: string;
  evidence: { queriesBefore: number; expectedQueriesAfter: number; orm: string | null; examples: string[]; relationship?: string };
  fix?: { content: string };
}

/** the routes with an N+1 (their fix is posted to /<orm>/fix/<last path segment>) */
const ROUTES: Record<string, { orm: string; rule: string }> = {
  '/typeorm/authors': { orm: 'typeorm', rule: 'n1-query' },
  '/typeorm/authors-reviews': { orm: 'typeorm', rule: 'n1-repeating-group' },
  '/mikro-orm/authors': { orm: 'mikro-orm', rule: 'n1-query' },
  '/mikro-orm/authors-reviews': { orm: 'mikro-orm', rule: 'n1-repeating-group' },
};
const ROUNDS = 3;

let t: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-orms-'));
const brokenCapture = join(dir, 'broken.ndjson');
const fixedCapture = join(dir, 'fixed.ndjson');
const brokenBodies = new Map<string, unknown>();
let findings: N1Finding[] = [];

async function n1(captureFile: string, extra: string[] = []): Promise<N1Finding[]> {
  // default flags, as a new user runs it
  const r = await runCli(['n1', '--capture', captureFile, '--format', 'json', ...extra]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { findings: N1Finding[] };
  expect(reportSchemaErrors(report)).toEqual([]);
  return report.findings;
}

/** The ORM code of a printed fix: what precedes the SQL it amounts to. */
function printedCode(f: N1Finding | undefined): string {
  const content = f?.fix?.content ?? '';
  return content.split('\n\n-- the batched SQL')[0] ?? '';
}

/** Authors with how many books each: what both the loop and the fix must return. */
function booksPerAuthor(body: unknown): [number, number][] {
  return (body as { id: number; books: number | unknown[] }[]).map((a) => [a.id, Array.isArray(a.books) ? a.books.length : a.books]);
}

beforeAll(async () => {
  t = await createTestDatabase('n1_orms');
  await t.exec(ORM_LIBRARY_SCHEMA);
  const app = await startOrmLibrary(t.url, brokenCapture);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const path of Object.keys(ROUTES)) brokenBodies.set(path, await app.get(path));
    }
  } finally {
    await app.stop();
  }
  findings = await n1(brokenCapture);
}, 180_000);
afterAll(async () => {
  await t.drop();
});

const findingFor = (path: string): N1Finding | undefined => findings.find((f) => f.evidence.examples.includes(`GET ${path}`));

describe('n1 on real TypeORM 0.3 and MikroORM 6 apps with db-optimize/capture', () => {
  it('flags the 1 + N and the nested N + 1 of each ORM, with that ORM named', () => {
    for (const [path, { orm, rule }] of Object.entries(ROUTES)) {
      const f = findingFor(path);
      expect(f?.rule, path).toBe(rule);
      expect(f?.evidence.orm, path).toBe(orm);
      expect(f?.evidence.relationship, path).toMatch(/^authors → books via books\.author_id/);
    }
    expect(findings).toHaveLength(Object.keys(ROUTES).length);
    // the relation paths each ORM accepts (nested objects for TypeORM, dotted paths for MikroORM)
    expect(printedCode(findingFor('/typeorm/authors-reviews'))).toContain('relations: { books: { reviews: true } },');
    expect(printedCode(findingFor('/mikro-orm/authors-reviews'))).toContain("populate: ['books.reviews'],");
  });

  it('prints the same fixes when the foreign keys come from the database (--db)', async () => {
    const withDb = await n1(brokenCapture, ['--db', t.url]);
    for (const path of Object.keys(ROUTES)) {
      const f = withDb.find((x) => x.evidence.examples.includes(`GET ${path}`));
      expect(f?.evidence.relationship, path).toMatch(/^authors → books via books\.author_id \(foreign key books_author_id_fkey\)/);
      expect(printedCode(f), path).toBe(printedCode(findingFor(path)));
      expect(f?.evidence.expectedQueriesAfter, path).toBe(findingFor(path)?.evidence.expectedQueriesAfter);
    }
  });

  it('the printed fixes, run verbatim in the app, load the same page with exactly the predicted query count', async () => {
    const app = await startOrmLibrary(t.url, fixedCapture);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [path, { orm }] of Object.entries(ROUTES)) {
          const body = await app.post(`/${orm}/fix/${path.split('/')[2] ?? ''}`, printedCode(findingFor(path)));
          expect(booksPerAuthor(body), path).toEqual(booksPerAuthor(brokenBodies.get(path)));
        }
      }
    } finally {
      await app.stop();
    }
    const before = queriesPerRequest(brokenCapture);
    const after = queriesPerRequest(fixedCapture);
    for (const [path, { orm }] of Object.entries(ROUTES)) {
      const f = findingFor(path);
      expect(before.get(`GET ${path}`), path).toEqual(Array<number>(ROUNDS).fill(f?.evidence.queriesBefore ?? -1));
      const fixed = after.get(`POST /${orm}/fix/${path.split('/')[2] ?? ''}`);
      expect(fixed, path).toEqual(Array<number>(ROUNDS).fill(f?.evidence.expectedQueriesAfter ?? -1));
    }
    // and the fixed code is not flagged itself
    expect(await n1(fixedCapture)).toEqual([]);
  });
});
