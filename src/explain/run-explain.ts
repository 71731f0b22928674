import type { Database } from '../collect/connection.ts';
import { connectionLost } from '../collect/connection.ts';
import { parsePgArray } from '../collect/pg-array.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { StatementShape } from './statement-shape.ts';
import type { PlanCatalog } from './tips/plan-tip.ts';
import { assertNoSideEffects } from '../collect/side-effect-guard.ts';

/**
 * The db-facing side of the slow query doctor: EXPLAIN ANALYZE of one statement, parameter
 * sampling, catalog facts for the tips and sandbox index measurements. Only through Database.
 */

export type ParamMode = 'none' | 'given' | 'generic' | 'sampled';

export interface ParameterInfo {
  readonly mode: ParamMode;
  readonly values: readonly (string | null)[];
  /** one line per parameter: where its value came from */
  readonly notes: readonly string[];
}

export interface LiveExplain {
  readonly planJson: unknown;
  readonly analyzed: boolean;
  readonly parameters: ParameterInfo;
  readonly serverVersionNum: number;
  readonly serverVersion: string;
  readonly database: string;
}

/** prefixLength: characters of "EXPLAIN (...) " before the user's text, which the server's position counts */
function explainError(error: unknown, sql: string, prefixLength: number): DbOptimizeError {
  const lost = connectionLost(error);
  if (lost !== null) return lost;
  const e = error as { message?: string; code?: string; position?: string };
  if (e.code === '57014') {
    return new DbOptimizeError('E_STATEMENT_TIMEOUT', 'input', `the statement ran longer than the statement timeout and was cancelled: ${e.message ?? ''}`, {
      hint: 'raise --statement-timeout MS (the default is 30000), or analyze a plan captured elsewhere with `db-optimize explain FILE`',
      cause: error,
    });
  }
  if (e.code === '25006') {
    return new DbOptimizeError('E_READ_ONLY', 'usage', 'the statement tried to write inside the read-only transaction', {
      hint: 'pass --allow-writes to run it inside BEGIN … ROLLBACK',
      cause: error,
    });
  }
  const pos = e.position === undefined ? null : Number(e.position);
  let at = '';
  if (pos !== null && Number.isFinite(pos)) {
    // the server counts from the start of "EXPLAIN (...) ", which is not part of the user's text
    const offset = Math.max(0, pos - 1 - prefixLength);
    const before = sql.slice(0, Math.max(0, offset));
    at = ` (line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')})`;
  }
  return new DbOptimizeError('E_EXPLAIN', 'input', `the server rejected the statement${at}: ${e.message ?? String(error)}`, {
    cause: error,
    details: e.code === undefined ? {} : { sqlstate: e.code },
  });
}

export async function serverInfo(db: Database): Promise<{ versionNum: number; version: string; database: string }> {
  const rows = await db.query<{ v: string; s: string; d: string }>(
    `SELECT current_setting('server_version_num') AS v, current_setting('server_version') AS s, current_database() AS d`,
  );
  const r = rows[0];
  return { versionNum: Number(r?.v ?? 0), version: r?.s ?? '?', database: r?.d ?? '?' };
}

/** Representative values for $n from pg_stats: the most common value for "=", the median histogram bound for ranges. */
export async function sampleParameters(db: Database, shape: StatementShape): Promise<ParameterInfo> {
  const values: (string | null)[] = [];
  const notes: string[] = [];
  for (let n = 1; n <= shape.paramCount; n++) {
    const p = shape.params.find((x) => x.number === n);
    if (p?.limit === true) {
      values.push('100');
      notes.push(`$${n} = 100 (LIMIT/OFFSET: a typical page size)`);
      continue;
    }
    if (p === undefined || p.column === null) {
      throw new DbOptimizeError('E_PARAM', 'usage', `cannot find a column to sample a value for $${n} from`, {
        hint: `give the values with --param (once per parameter, in order), e.g. --param 42`,
      });
    }
    const candidates = p.table === null ? shape.tables : [p.table];
    let row: { mcv: string | null; hist: string | null; schemaname: string; tablename: string } | undefined;
    for (const t of candidates) {
      const rows = await db.query<{ mcv: string | null; hist: string | null; schemaname: string; tablename: string }>(
        `SELECT most_common_vals::text AS mcv, histogram_bounds::text AS hist, schemaname, tablename FROM pg_stats
          WHERE tablename = $1 AND attname = $2 AND ($3::text IS NULL OR schemaname = $3)
          ORDER BY schemaname = ANY (current_schemas(false)) DESC LIMIT 1`,
        [t.name, p.column, t.schema],
      );
      row = rows[0];
      if (row !== undefined) break;
    }
    const mcv = parsePgArray(row?.mcv ?? null) ?? [];
    const hist = parsePgArray(row?.hist ?? null) ?? [];
    const where = row === undefined ? p.column : `${row.schemaname}.${row.tablename}.${p.column}`;
    if (p.comparison !== 'range' && mcv[0] !== undefined) {
      values.push(mcv[0]);
      notes.push(`$${n} = ${JSON.stringify(mcv[0])} (most common value of ${where} in pg_stats)`);
    } else if (hist.length > 0) {
      const v = hist[Math.floor(hist.length / 2)] ?? null;
      values.push(v);
      notes.push(`$${n} = ${JSON.stringify(v)} (median histogram bound of ${where} in pg_stats)`);
    } else if (mcv[0] !== undefined) {
      values.push(mcv[0]);
      notes.push(`$${n} = ${JSON.stringify(mcv[0])} (most common value of ${where} in pg_stats)`);
    } else {
      throw new DbOptimizeError('E_PARAM', 'usage', `pg_stats has no values for ${where} to stand in for $${n}`, {
        hint: 'run ANALYZE on the table, or give the values with --param',
      });
    }
  }
  return { mode: 'sampled', values, notes };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) in a transaction that is always rolled back:
 * read-only unless allowWrites. Parameterized statements: the given values, else GENERIC_PLAN on
 * PostgreSQL 16+ (estimates only), else values sampled from pg_stats.
 */
export async function explainLive(
  db: Database,
  sql: string,
  shape: StatementShape,
  options: { allowWrites?: boolean; params?: readonly (string | null)[]; sampleParams?: boolean } = {},
): Promise<LiveExplain> {
  if (shape.writes && options.allowWrites !== true) {
    throw new DbOptimizeError('E_WRITES', 'usage', `this ${shape.kind} statement writes: it is only run with --allow-writes (inside BEGIN … ROLLBACK)`, {
      hint: 'EXPLAIN ANALYZE executes the statement; with --allow-writes its changes are rolled back, but it still takes row locks and fires triggers while it runs',
    });
  }
  if (options.allowWrites !== true) await assertNoSideEffects(db, sql);
  const server = await serverInfo(db);
  let parameters: ParameterInfo = { mode: 'none', values: [], notes: [] };
  if (shape.paramCount > 0) {
    if (options.params !== undefined && options.params.length > 0) {
      if (options.params.length !== shape.paramCount) {
        throw new DbOptimizeError('E_PARAM', 'usage', `the statement has ${shape.paramCount} parameters but ${options.params.length} --param values were given`);
      }
      parameters = { mode: 'given', values: [...options.params], notes: options.params.map((v, i) => `$${i + 1} = ${JSON.stringify(v)} (given with --param)`) };
    } else if (server.versionNum >= 160000 && options.sampleParams !== true) {
      parameters = {
        mode: 'generic',
        values: [],
        notes: [`EXPLAIN (GENERIC_PLAN) on PostgreSQL ${server.version}: the plan for any parameter values, estimates only (nothing was executed); use --param or --sample-params to run it`],
      };
    } else {
      parameters = await sampleParameters(db, shape);
    }
  }
  const analyze = parameters.mode !== 'generic';
  const options_ = analyze ? 'ANALYZE, BUFFERS, SETTINGS, FORMAT JSON' : 'GENERIC_PLAN, SETTINGS, FORMAT JSON';
  const planJson = await db.inRolledBackTransaction(
    async (client) => {
      try {
        const r = await client.query(`EXPLAIN (${options_}) ${sql}`, parameters.mode === 'generic' ? undefined : [...parameters.values]);
        return (r.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'];
      } catch (error) {
        throw explainError(error, sql, `EXPLAIN (${options_}) `.length);
      }
    },
    { allowWrites: shape.writes && options.allowWrites === true },
  );
  return { planJson, analyzed: analyze, parameters, serverVersionNum: server.versionNum, serverVersion: server.version, database: server.database };
}

/** Indexes and foreign keys of the relations a plan touches (for tips that need catalog facts). */
export async function loadPlanCatalog(db: Database, relations: readonly string[]): Promise<PlanCatalog> {
  const names = [...new Set(relations.map((r) => r.split('.').pop() ?? r))];
  if (names.length === 0) return { indexes: [], foreignKeys: [] };
  const indexes = await db.query<{ schema: string; table: string; name: string; definition: string; columns: string[] }>(
    `SELECT n.nspname AS schema, t.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition,
            ARRAY(SELECT pg_get_indexdef(x.indexrelid, k + 1, true) FROM generate_series(0, x.indnkeyatts - 1) k ORDER BY k) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE t.relname = ANY ($1) AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    [names],
  );
  const fks = await db.query<{ name: string; schema: string; table: string; columns: string[]; referenced: string; indexed: boolean }>(
    `SELECT c.conname AS name, n.nspname AS schema, t.relname AS table, r.relname AS referenced,
            ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.conrelid AND x.indpred IS NULL
                      AND (x.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey AND (x.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey) AS indexed
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND (t.relname = ANY ($1) OR r.relname = ANY ($1))`,
    [names],
  );
  return {
    indexes: indexes.map((i) => ({ schema: i.schema, table: i.table, name: i.name, definition: i.definition, columns: i.columns })),
    foreignKeys: fks.map((f) => ({ name: f.name, schema: f.schema, table: f.table, columns: f.columns, referencedTable: f.referenced, indexed: f.indexed })),
  };
}

/** Heap + index size of relations in bytes (to decide whether a sandbox build is small). */
export async function relationBytes(db: Database, relation: string): Promise<number | null> {
  const rows = await db.query<{ b: string | null }>(`SELECT pg_total_relation_size(to_regclass($1))::text AS b`, [relation]);
  const b = rows[0]?.b;
  return b === null || b === undefined ? null : Number(b);
}

/**
 * Builds an index inside a transaction that is rolled back and EXPLAIN ANALYZEs the statement
 * with it: a measured before/after without leaving anything behind. Takes a SHARE lock on the
 * table while it runs (writes to it wait), so only with an explicit flag.
 */
export async function measureIndexInSandbox(
  db: Database,
  sql: string,
  definition: string,
  parameters: ParameterInfo,
): Promise<{ before: unknown; after: unknown }> {
  return db.inRolledBackTransaction(
    async (client) => {
      const values = parameters.mode === 'generic' ? undefined : [...parameters.values];
      const options = parameters.mode === 'generic' ? 'GENERIC_PLAN, FORMAT JSON' : 'ANALYZE, BUFFERS, SETTINGS, FORMAT JSON';
      const run = async (): Promise<unknown> => {
        await client.query('SAVEPOINT dbo_measure');
        try {
          const r = await client.query(`EXPLAIN (${options}) ${sql}`, values);
          return (r.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'];
        } catch (error) {
          throw explainError(error, sql, `EXPLAIN (${options}) `.length);
        } finally {
          // undo the statement's own writes so "after" runs on the same data as "before"
          await client.query('ROLLBACK TO SAVEPOINT dbo_measure');
        }
      };
      const before = await run();
      try {
        await client.query(definition);
      } catch (error) {
        throw new DbOptimizeError('E_SANDBOX', 'input', `could not build the index in the sandbox transaction: ${(error as Error).message}`, { cause: error });
      }
      const after = await run();
      return { before, after };
    },
    { allowWrites: true },
  );
}

/**
 * Whether two read-only statements return the same rows (as multisets), by running
 * (A EXCEPT ALL B) and (B EXCEPT ALL A) in a read-only transaction. Row order is not compared.
 */
export async function compareResults(
  db: Database,
  original: string,
  rewrite: string,
  parameters: ParameterInfo,
): Promise<{ onlyInOriginal: number; onlyInRewrite: number }> {
  const values = parameters.mode === 'sampled' || parameters.mode === 'given' ? [...parameters.values] : undefined;
  return db.inRolledBackTransaction(async (client) => {
    const count = async (a: string, b: string): Promise<number> => {
      const sql = `SELECT count(*)::bigint AS n FROM ((${a}) EXCEPT ALL (${b})) AS diff`;
      try {
        const r = await client.query<{ n: string }>(sql, values);
        return Number(r.rows[0]?.n ?? 0);
      } catch (error) {
        throw new DbOptimizeError('E_REWRITE_COMPARE', 'input', `could not compare the results of the two statements: ${(error as Error).message}`, {
          hint: 'both must return the same columns, in the same order and of compatible types',
          cause: error,
        });
      }
    };
    return { onlyInOriginal: await count(original, rewrite), onlyInRewrite: await count(rewrite, original) };
  });
}
