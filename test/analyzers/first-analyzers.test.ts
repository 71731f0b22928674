import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheHitRatio } from '../../src/analyzers/profile/cache-hit-ratio/index.ts';
import { duplicateIndexes } from '../../src/analyzers/profile/duplicate-indexes/index.ts';
import { fkWithoutIndex } from '../../src/analyzers/profile/fk-without-index/index.ts';
import { indexHitRatio } from '../../src/analyzers/profile/index-hit-ratio/index.ts';
import { topStatements } from '../../src/analyzers/profile/top-statements/index.ts';
import { unusedIndexes } from '../../src/analyzers/profile/unused-indexes/index.ts';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Analyzer } from '../../src/engine/analyzer.ts';
import { runAnalyzers } from '../../src/engine/run-analyzers.ts';
import type { AnalyzerOptionOverrides } from '../../src/engine/run-analyzers.ts';
import type { Finding, Snapshot, Workload, WorkloadStatement } from '../../src/model/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { workloadFromPgStatStatements } from '../../src/workload/from-pg-stat-statements.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;

async function run(analyzer: Analyzer, options: AnalyzerOptionOverrides = {}, workload: Workload | null = null): Promise<readonly Finding[]> {
  const snapshot: Snapshot = await collectSnapshot(await t.open());
  const r = await runAnalyzers({ analyzers: [analyzer], depth: 5, snapshot, workload, options });
  expect(r.skipped).toEqual([]);
  return r.findings;
}

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('first_analyzers');
  await t.exec(`
    CREATE TABLE authors (id int PRIMARY KEY, name text);
    CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors(id), title text, isbn text);
    CREATE TABLE reviews (id int PRIMARY KEY, book_id int REFERENCES books(id), stars int);
    CREATE INDEX reviews_book_id_stars ON reviews (book_id, stars);
    CREATE INDEX books_title_a ON books (title);
    CREATE INDEX books_title_b ON books (title);
    CREATE INDEX books_title_partial ON books (title) WHERE id > 10;
    CREATE UNIQUE INDEX books_isbn_key ON books (isbn);
    INSERT INTO authors SELECT g, 'a' || g FROM generate_series(1, 3000) g;
    INSERT INTO books SELECT g, 1 + g % 3000, 't' || g, 'isbn' || g FROM generate_series(1, 5000) g;
    INSERT INTO reviews SELECT g, 1 + g % 5000, g % 5 FROM generate_series(1, 5000) g;
    ANALYZE;`);
  // use one index so it is not "unused"
  await t.exec(`SET enable_seqscan = off; SELECT count(*) FROM books WHERE title = 't5'; RESET enable_seqscan;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('duplicate-indexes', () => {
  it('finds an exact duplicate and keeps the used copy', async () => {
    const f = await run(duplicateIndexes as Analyzer);
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence.duplicate).not.toBe(f[0]?.evidence.kept);
    expect([f[0]?.evidence.duplicate, f[0]?.evidence.kept].sort()).toEqual(['public.books_title_a', 'public.books_title_b']);
    expect(f[0]?.fix?.content).toMatch(/^DROP INDEX CONCURRENTLY public\.books_title_[ab];$/);
    expect(f[0]?.fix?.rollback).toMatch(/^CREATE INDEX CONCURRENTLY books_title_[ab] ON public\.books USING btree \(title\);$/);
  });

  it('does not call a partial or unique index on the same column a duplicate', async () => {
    const f = await run(duplicateIndexes as Analyzer);
    expect(JSON.stringify(f)).not.toContain('books_title_partial');
    expect(JSON.stringify(f)).not.toContain('books_isbn_key');
  });

  it('is gone once the fix is applied', async () => {
    const f = await run(duplicateIndexes as Analyzer);
    await t.exec(f[0]?.fix?.content ?? '');
    expect(await run(duplicateIndexes as Analyzer)).toEqual([]);
    await t.exec(f[0]?.fix?.rollback ?? '');
  });
});

describe('unused-indexes', () => {
  it('reports never-scanned indexes but not constraint-backed or used ones', async () => {
    const f = await run(unusedIndexes as Analyzer);
    const names = f.map((x) => x.target.index).sort();
    expect(names).toContain('public.books_title_partial');
    // the only index on reviews' foreign key serves the FK check of every books delete: never "unused"
    expect(names).not.toContain('public.reviews_book_id_stars');
    expect(names).not.toContain('public.books_pkey');
    expect(names).not.toContain('public.books_isbn_key');
    const used = (await collectSnapshot(await t.open())).indexes.filter((i) => i.scans > 0).map((i) => i.qualifiedName);
    for (const u of used) expect(names).not.toContain(u);
    const partial = f.find((x) => x.target.index === 'public.books_title_partial');
    expect(partial?.evidence.idxScan).toBe(0);
    expect(partial?.evidence.sizeBytes).toBeGreaterThan(0);
    expect(partial?.fix?.rollback).toContain('WHERE (id > 10)');
  });

  it('marks fresh statistics as weak evidence (info) and old ones as a warning', async () => {
    const fresh = await run(unusedIndexes as Analyzer, { 'unused-indexes': { minStatsAgeDays: 3650 } });
    expect(fresh.every((x) => x.severity === 'info' && x.evidence.weakEvidence === true)).toBe(true);
    const old = await run(unusedIndexes as Analyzer, { 'unused-indexes': { minStatsAgeDays: 0 } });
    expect(old.every((x) => x.severity === 'warning')).toBe(true);
  });
});

describe('fk-without-index', () => {
  it('flags the unindexed foreign key and not the one an index leads with', async () => {
    const f = await run(fkWithoutIndex as Analyzer);
    expect(f.map((x) => x.target.relation)).toEqual(['public.books']);
    expect(f[0]?.evidence.referencingColumns).toEqual(['author_id']);
    expect(f[0]?.fix?.content).toBe('CREATE INDEX CONCURRENTLY books_author_id_idx ON public.books (author_id);');
  });

  it('is gone after the fix', async () => {
    const f = await run(fkWithoutIndex as Analyzer);
    await t.exec(f[0]?.fix?.content ?? '');
    expect(await run(fkWithoutIndex as Analyzer)).toEqual([]);
    await t.exec(f[0]?.fix?.rollback ?? '');
  });
});

describe('cache-hit-ratio and index-hit-ratio', () => {
  it('report the ratio with its evidence once enough blocks were read', async () => {
    const [cache] = await run(cacheHitRatio as Analyzer, { 'cache-hit-ratio': { minBlocks: 1 } });
    expect(cache?.evidence.hitRatio).toBeGreaterThan(0);
    expect(Number(cache?.evidence.blocksHit) + Number(cache?.evidence.blocksRead)).toBeGreaterThan(0);
    const [idx] = await run(indexHitRatio as Analyzer, { 'index-hit-ratio': { minBlocks: 1 } });
    expect(idx?.evidence.blocksHit).toBeGreaterThan(0);
  });

  it('flags a ratio below target and stays quiet (info) above it', async () => {
    const [below] = await run(cacheHitRatio as Analyzer, { 'cache-hit-ratio': { minBlocks: 1, targetPercent: 100.01 } });
    expect(below?.severity).not.toBe('info');
    expect(below?.title).toMatch(/below the 100.01 % target/);
    const [above] = await run(cacheHitRatio as Analyzer, { 'cache-hit-ratio': { minBlocks: 1, targetPercent: 1 } });
    expect(above?.severity).toBe('info');
  });

  it('says nothing without enough evidence', async () => {
    expect(await run(cacheHitRatio as Analyzer, { 'cache-hit-ratio': { minBlocks: 1e15 } })).toEqual([]);
    expect(await run(indexHitRatio as Analyzer, { 'index-hit-ratio': { minBlocks: 1e15 } })).toEqual([]);
  });
});

describe('top-statements', () => {
  const stmt = (text: string, calls: number, mean: number, stddev: number): WorkloadStatement => ({
    fingerprint: text.length.toString(16).padStart(16, '0'),
    text,
    calls,
    totalTimeMs: calls * mean,
    meanTimeMs: mean,
    stddevTimeMs: stddev,
    rows: calls,
    sharedBlksHit: 100,
    sharedBlksRead: 1,
    tempBlksRead: 0,
    tempBlksWritten: 0,
    planTimeMs: null,
    source: 'pg_stat_statements',
  });

  it('ranks by total time, with share and labelled p95/p99 estimates against the targets', async () => {
    const statements = [
      stmt('SELECT * FROM products WHERE category = $1', 1_000_000, 50, 30),
      stmt('INSERT INTO events VALUES ($1)', 500_000, 5, 1),
      stmt('SELECT * FROM users WHERE id = $1', 2_000_000, 2, 0.5),
      stmt('UPDATE sessions SET data = $1 WHERE id = $2', 800_000, 100, 80),
    ];
    const workload: Workload = { source: 'pg_stat_statements', statements, totalTimeMs: statements.reduce((s, x) => s + x.totalTimeMs, 0), issues: [] };
    const f = await run(topStatements as Analyzer, {}, workload);
    const top = [...f].sort((a, b) => Number(a.evidence.rank) - Number(b.evidence.rank));
    expect(top.map((x) => String(x.evidence.query).split(' ')[0])).toEqual(['UPDATE', 'SELECT', 'SELECT', 'INSERT']);
    expect(top[0]?.evidence.shareOfTotalTime).toBeCloseTo(80_000_000 / 136_500_000, 3);
    expect(top[0]?.evidence.p95EstimateMs).toBeCloseTo(100 + 1.645 * 80, 1);
    expect(top[0]?.evidence.percentilesAreEstimates).toBe(true);
    expect(top[0]?.severity).toBe('warning');
    expect(top[3]?.severity).toBe('info');
  });

  it('reads real statements from pg_stat_statements', async () => {
    const db = await t.open();
    const c = await t.client();
    for (let i = 0; i < 30; i++) await c.query('SELECT count(*) FROM reviews WHERE stars = $1', [i % 5]);
    await c.end();
    const workload = await workloadFromPgStatStatements(db);
    const f = await run(topStatements as Analyzer, { 'top-statements': { minShare: 0, limit: 1000 } }, workload);
    expect(f.some((x) => /FROM reviews WHERE stars = \$1/.test(String(x.evidence.query)))).toBe(true);
  });

  it('reports nothing for an empty workload', async () => {
    const f = await runAnalyzers({
      analyzers: [topStatements as Analyzer],
      depth: 5,
      snapshot: await collectSnapshot(await t.open()),
      workload: { source: 'sql-file', statements: [], totalTimeMs: 0, issues: [] },
    });
    expect(f.findings).toEqual([]);
    expect(f.skipped[0]?.reason).toMatch(/needs a workload/);
  });
});
