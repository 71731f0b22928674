import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Snapshot } from '../model/index.ts';
import { initSqlParser, parseSql } from '../sql/index.ts';
import { candidatesFor } from './generate-candidates.ts';
import { statementVariants } from './representative-constants.ts';
import { statementShape } from './statement-shape.ts';

let t: TestDatabase;
let snapshot: Snapshot;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('candidates');
  await t.exec(`
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, country char(2), deleted_at timestamptz, created_at timestamptz NOT NULL);
    CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint, kind text NOT NULL, data jsonb, tags text[], created_at timestamptz NOT NULL);
    INSERT INTO users SELECT g, 'u' || g || '@x.org', CASE WHEN g % 10 = 0 THEN 'FR' ELSE 'DE' END,
      CASE WHEN g % 100 = 0 THEN now() END, timestamptz '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 5000) g;
    INSERT INTO events SELECT g, g % 5000, CASE WHEN g % 200 = 0 THEN 'refund' ELSE 'view' END, jsonb_build_object('k', g % 7), ARRAY['t' || (g % 9)],
      timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 5000) g;
    ANALYZE;`);
  const db = await t.open();
  snapshot = await collectSnapshot(db);
});
afterAll(async () => {
  await t.drop();
});

function definitions(sql: string): string[] {
  const stmt = parseSql(sql).stmts?.[0]?.stmt as Record<string, unknown>;
  const shape = statementShape(stmt, snapshot);
  return shape.accesses.flatMap((a) => candidatesFor(a, 's', snapshot, snapshot.indexes.filter((i) => i.table === a.table.qualifiedName)).map((c) => c.definition));
}

describe('candidate generation (operator-class aware)', () => {
  it('orders equality → range → ORDER BY with the query’s direction', () => {
    const defs = definitions('SELECT * FROM events WHERE user_id = $1 AND created_at > $2 ORDER BY created_at DESC');
    expect(defs).toContain('CREATE INDEX ON public.events USING btree (user_id, created_at)');
    expect(defs).toContain('CREATE INDEX ON public.events USING btree (user_id, created_at DESC)');
  });

  it('covers a narrow select list with INCLUDE', () => {
    expect(definitions('SELECT id, kind FROM events WHERE user_id = 5')).toContain('CREATE INDEX ON public.events USING btree (user_id) INCLUDE (id, kind)');
  });

  it('turns selective constants into partial indexes, and only selective ones', () => {
    const defs = definitions(`SELECT * FROM events WHERE kind = 'refund' ORDER BY created_at`);
    expect(defs).toContain(`CREATE INDEX ON public.events USING btree (created_at) WHERE kind = 'refund'`);
    expect(definitions(`SELECT * FROM events WHERE kind = 'view' ORDER BY created_at`).some((d) => d.includes('WHERE'))).toBe(false);
    // a literal on a high-cardinality column is one instance of a parameter, never a partial predicate
    expect(definitions(`SELECT * FROM events WHERE user_id = 14 ORDER BY created_at`).some((d) => d.includes('WHERE'))).toBe(false);
    expect(definitions(`SELECT * FROM users WHERE deleted_at IS NOT NULL AND country = $1`)).toContain('CREATE INDEX ON public.users USING btree (country) WHERE deleted_at IS NOT NULL');
  });

  it('indexes expressions, jsonb, arrays, trigram patterns and full text with the right operator class', () => {
    expect(definitions('SELECT * FROM users WHERE lower(email) = $1')).toContain('CREATE INDEX ON public.users USING btree ((lower(email)))');
    expect(definitions(`SELECT * FROM events WHERE data ->> 'k' = '3'`)).toContain(`CREATE INDEX ON public.events USING btree ((data ->> 'k'))`);
    expect(definitions(`SELECT * FROM events WHERE data @> '{"k": 3}'`)).toContain('CREATE INDEX ON public.events USING gin (data)');
    expect(definitions(`SELECT * FROM events WHERE tags && ARRAY['t1']`)).toContain('CREATE INDEX ON public.events USING gin (tags)');
    expect(definitions(`SELECT * FROM users WHERE email ILIKE '%x.org'`)).toContain('CREATE INDEX ON public.users USING gin (email gin_trgm_ops)');
    expect(definitions(`SELECT * FROM users WHERE email LIKE 'u12%'`)).toContain('CREATE INDEX ON public.users USING btree (email text_pattern_ops)');
    const fts = definitions(`SELECT * FROM users WHERE to_tsvector(email) @@ to_tsquery('x')`);
    expect(fts.some((d) => /USING gin \(\(to_tsvector\('[\w.]+'::regconfig, email\)\)\)/.test(d))).toBe(true);
  });

  it('resolves aliases and joins, and skips what an existing index already serves', () => {
    const defs = definitions('SELECT u.email FROM users u JOIN events e ON e.user_id = u.id WHERE e.kind = $1');
    expect(defs).toContain('CREATE INDEX ON public.events USING btree (user_id)');
    expect(defs.some((d) => /users USING btree \(id\)$/.test(d))).toBe(false);
  });

  it('draws representative constants from pg_stats for parameters', () => {
    const sql = 'SELECT * FROM events WHERE kind = $1 AND created_at < $2 LIMIT $3';
    const stmt = parseSql(sql).stmts?.[0]?.stmt as Record<string, unknown>;
    const shape = statementShape(stmt, snapshot);
    const v = statementVariants(sql, shape.params, shape.paramCount, snapshot);
    const sets = v.variants.filter((x) => !x.includes('$'));
    expect(sets.length).toBeGreaterThanOrEqual(1);
    expect(sets[0]).toMatch(/kind = 'view' AND created_at < '2024-\d\d-\d\d[^']*' LIMIT 20/);
    expect(v.variants.some((x) => x === sql)).toBe(snapshot.server.versionNum >= 160000);
  });
});
