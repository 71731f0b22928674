import type { Database } from '../collect/connection.ts';
import { quoteIdent } from '../format/format.ts';
import type { Finding } from '../model/index.ts';
import { buildPlan } from '../migrate/plan/build-plan.ts';
import { collectTableFacts } from '../migrate/plan/collect-table-facts.ts';
import type { MigrationPlan, PlanStep } from '../migrate/plan/plan-types.ts';
import { stepSql } from '../migrate/plan/plan-formats.ts';
import { q, quoteLiteral } from '../migrate/plan/step-draft.ts';
import { columnDependents } from './column-dependents.ts';
import type { ColumnDependents } from './column-dependents.ts';

/** What a type-changing analyzer asks for (evidence.typeChange); referencing: also widen the columns of incoming foreign keys. */
export interface TypeChangeRequest {
  readonly type: string;
  readonly using: string | null;
  readonly referencing?: boolean;
}

interface ColumnChange {
  readonly table: string;
  readonly column: string;
  readonly type: string;
  readonly using: string | null;
}

const PLAN_OPTIONS = { lockTimeoutMs: 1000, statementTimeoutMs: 30_000, batchSize: 5000, sleepMs: 50, retries: 5 } as const;

function isRequest(v: unknown): v is TypeChangeRequest {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** Columns that reference table.column through foreign keys (single-column keys), as schema-qualified table + column. */
async function referencingColumns(db: Database, table: string, column: string): Promise<{ table: string; column: string; type: string }[]> {
  return db.query<{ table: string; column: string; type: string }>(
    `SELECT format('%I.%I', n.nspname, r.relname) AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
     WHERE c.contype = 'f' AND c.confrelid = to_regclass($1) AND ra.attname = $2 AND cardinality(c.conkey) = 1
     ORDER BY 1, 2`,
    [table, column],
  );
}

/** Tries the conversion on a bounded sample (rolled back): the first value it cannot convert, or null when all convert. */
async function conversionError(db: Database, change: ColumnChange, sampleRows: number): Promise<string | null> {
  const conv = change.using ?? `${quoteIdent(change.column)}::${change.type}`;
  try {
    await db.inRolledBackTransaction(async (client) => {
      await client.query(`SET LOCAL statement_timeout = 10000`);
      await client.query(`SELECT count(${conv}) FROM (SELECT ${quoteIdent(change.column)} FROM ${change.table} LIMIT ${Math.trunc(sampleRows)}) s`);
    });
    return null;
  } catch (error) {
    return (error as { message?: string }).message ?? String(error);
  }
}

/** The swap step re-creates dependent views and the column's own constraints on the new column, in the same transaction. */
function withDependents(step: PlanStep, change: ColumnChange, deps: ColumnDependents): PlanStep {
  const before = [...deps.views].reverse().map((v) => `DROP ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} IF EXISTS ${v.name};`);
  before.push(...deps.constraints.map((c) => `ALTER TABLE ${change.table} DROP CONSTRAINT ${quoteIdent(c.name)};`));
  const after: string[] = deps.constraints.map((c) => `ALTER TABLE ${change.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition} NOT VALID;`);
  for (const v of deps.views) {
    const opts = v.options.length === 0 ? '' : ` WITH (${v.options.join(', ')})`;
    after.push(`CREATE ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.name}${opts} AS\n${v.definition.trim().replace(/;$/, '')};`);
    after.push(`ALTER ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${v.name} OWNER TO ${quoteIdent(v.owner)};`);
    for (const g of v.grants) after.push(`GRANT ${g.privileges.join(', ')} ON ${v.name} TO ${g.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(g.grantee)};`);
  }
  // the views read the column by position: dropped before the rename, re-created after it so they read the new column
  const body = [...before, step.sql, ...after].join('\n');
  const notes = step.notes.filter((n) => !n.startsWith('views and functions'));
  if (deps.views.length > 0) notes.push(`re-creates ${deps.views.map((v) => v.name).join(', ')} on the new column (pg_depend/pg_rewrite)`);
  return { ...step, sql: body, notes };
}

function validateStep(change: ColumnChange, name: string, template: PlanStep): PlanStep {
  return {
    ...template,
    title: `Validate ${name} (re-created on the new column) without blocking writes`,
    sql: `ALTER TABLE ${change.table} VALIDATE CONSTRAINT ${quoteIdent(name)};`,
    lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
    duration: 'scan',
    statementTimeoutMs: null,
    rollback: '-- nothing to undo: validation only marks the constraint valid',
    notes: [],
  };
}

/** The migrate-plan change-type plan for one column, extended with dependent views and the column's own constraints. */
async function planColumn(db: Database, change: ColumnChange): Promise<MigrationPlan> {
  const { facts, pgVersion } = await collectTableFacts(db, { kind: 'change-type', ...change });
  const plan = buildPlan({ kind: 'change-type', ...change }, { ...PLAN_OPTIONS, pgVersion, facts });
  const deps = await columnDependents(db, change.table, change.column);
  const steps: PlanStep[] = [];
  for (const s of plan.steps) {
    if (!s.title.startsWith('Contract, part 1')) {
      steps.push(s);
      continue;
    }
    const swap = withDependents(s, change, deps);
    // a serial's sequence stays int4 (max 2^31) after OWNED BY moves: widen it with the key
    const seq = facts.ownedSequence;
    steps.push(seq != null && change.type === 'bigint' ? { ...swap, sql: `${swap.sql}\nALTER SEQUENCE ${q(seq)} AS bigint;` } : swap);
    for (const c of deps.constraints) steps.push(validateStep(change, c.name, s));
  }
  return { ...plan, steps: steps.map((s, i) => ({ ...s, n: i + 1 })) };
}

function renderPlan(plan: MigrationPlan): string {
  return plan.steps
    .map((s) => [`-- ${plan.change.description}: step ${s.n} of ${plan.steps.length} — ${s.title}`, `-- lock: ${s.lock}${s.transactional ? '' : '; run OUTSIDE a transaction'}`, ...s.notes.map((n) => `-- note: ${n}`), stepSql(s, plan.pgVersion)].join('\n'))
    .join('\n\n');
}

/**
 * Replaces the hand-written ALTER … TYPE of a type-changing finding with the migrate-plan
 * expand/contract plan (sync trigger, batched backfill, indexes CONCURRENTLY, incoming foreign
 * keys re-added NOT VALID), extended with dependent views and the column's own constraints.
 * When the conversion fails on the sampled data, no migration is printed: the finding says why.
 */
export async function planTypeChange(db: Database, f: Finding, sampleRows: number): Promise<Finding> {
  const request = f.evidence.typeChange;
  const table = f.target.relation;
  const column = f.target.column;
  if (!isRequest(request) || table === undefined || column === undefined || f.fix === undefined) return f;
  const changes: ColumnChange[] = [{ table, column, type: request.type, using: request.using }];
  if (request.referencing === true) {
    for (const r of await referencingColumns(db, table, column)) {
      if (r.type !== request.type) changes.push({ table: r.table, column: r.column, type: request.type, using: null });
    }
  }
  const failure = await conversionError(db, changes[0] as ColumnChange, sampleRows);
  if (failure !== null) {
    const hint = request.type === 'bigint' || request.type === 'uuid' ? `keep ${column} as it is and add a surrogate ${request.type === 'uuid' ? 'uuid' : 'bigint identity'} key, or clean the values first` : 'clean the values first';
    return {
      ...f,
      fix: {
        ...f.fix,
        content: `-- not converted: ${failure}\n-- the cast ${quoteLiteral(changes[0]?.using ?? `${column}::${request.type}`)} fails on the data; ${hint}`,
        safety: 'review',
        verified: false,
        verification: `conversion tried on the first ${sampleRows} rows (rolled back) and failed: ${failure}`,
      },
    } as Finding;
  }
  const plans: MigrationPlan[] = [];
  for (const c of changes) plans.push(await planColumn(db, c));
  return {
    ...f,
    fix: {
      ...f.fix,
      content: plans.map(renderPlan).join('\n\n'),
      language: 'sql',
      verification: `conversion tried on the first ${sampleRows} rows (rolled back); plan built from the catalog: ${plans.map((p) => p.change.description).join('; ')}`,
    },
  } as Finding;
}
