import { quoteIdent } from '../../format/format.ts';
import { bareNameOf } from '../../sql/quote.ts';
import { addColumnSteps } from './add-column-steps.ts';
import { changeTypeSteps } from './change-type-steps.ts';
import { addFkSteps, addIndexSteps, setNotNullSteps } from './index-fk-steps.ts';
import type { Change } from './parse-change.ts';
import type { BackfillSpec, MigrationPlan, PlanStep } from './plan-types.ts';
import { renameColumnSteps } from './rename-column-steps.ts';
import { renameTableSteps } from './rename-table-steps.ts';
import type { KindPlan, PlanContext, PlanOptions, StepDraft } from './step-draft.ts';
import { q } from './step-draft.ts';

export type { PlanOptions } from './step-draft.ts';
export type { TableFacts } from './table-facts.ts';

function planKind(ctx: PlanContext, change: Change): KindPlan {
  switch (change.kind) {
    case 'add-column':
      return addColumnSteps(ctx, change);
    case 'set-not-null':
      return setNotNullSteps(ctx, change);
    case 'add-index':
      return addIndexSteps(ctx, change);
    case 'add-fk':
      return addFkSteps(ctx, change);
    case 'change-type':
      return changeTypeSteps(ctx, change);
    case 'rename-column':
      return renameColumnSteps(ctx, change);
    case 'rename-table':
      return renameTableSteps(ctx, change);
  }
}

function finishStep(d: StepDraft, i: number, options: PlanOptions): PlanStep {
  const blocking = d.lock.startsWith('ACCESS EXCLUSIVE') || d.lock.startsWith('SHARE ROW') || d.lock.startsWith('SHARE (');
  return {
    n: i + 1,
    title: d.title,
    sql: d.backfill === undefined ? d.sql : backfillBatchSql(d.backfill),
    lock: d.lock,
    duration: d.duration,
    transactional: d.transactional ?? true,
    lockTimeoutMs: d.manual === true ? null : options.lockTimeoutMs,
    statementTimeoutMs: d.manual === true || d.longRunning === true ? null : options.statementTimeoutMs,
    retry: d.manual === true ? null : { attempts: blocking || d.backfill !== undefined ? options.retries : Math.min(3, options.retries), backoffMs: 1000 },
    rollback: d.rollback,
    notes: d.notes ?? [],
    ...(d.backfill === undefined ? {} : { backfill: d.backfill }),
    ...(d.manual === true ? { manual: true } : {}),
  };
}

/** Builds the step-by-step zero-downtime plan for one change on the given server version. */
export function buildPlan(change: Change, options: PlanOptions): MigrationPlan {
  const facts = options.facts;
  const assumptions: string[] = [];
  const key = facts?.key ?? options.key ?? null;
  if (facts === null) {
    assumptions.push(`no --db: planned for PostgreSQL ${options.pgVersion} without looking at the table (row count, key, indexes unknown)`);
  }
  const ctx: PlanContext = {
    pg: options.pgVersion,
    facts,
    options,
    table: q(change.table),
    bare: bareNameOf(change.table),
    assumptions,
    backfill: (set: string, pending: string): BackfillSpec => ({ table: change.table, set, pending, key, batchSize: options.batchSize, sleepMs: options.sleepMs }),
  };
  const kind = planKind(ctx, change);
  if (key === null && kind.drafts.some((d) => d.backfill !== undefined)) {
    assumptions.push('no single integer primary key known: backfill batches pick the next rows still to do by ctid (give --key COLUMN to batch by key range)');
  }
  return {
    change: { kind: change.kind, description: kind.description, naiveSql: kind.naive.sql },
    pgVersion: options.pgVersion,
    steps: kind.drafts.map((d, i) => finishStep(d, i, options)),
    naive: kind.naive,
    assumptions,
  };
}

/** One batch of a backfill; $1 and $2 are the key range [from, to). */
export function backfillBatchSql(b: BackfillSpec): string {
  const t = q(b.table);
  if (b.key !== null) return `UPDATE ${t} SET ${b.set} WHERE ${quoteIdent(b.key)} >= $1 AND ${quoteIdent(b.key)} < $2 AND ${b.pending};`;
  return `UPDATE ${t} SET ${b.set} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${t} WHERE ${b.pending} LIMIT ${b.batchSize}));`;
}
/** A self-contained backfill for SQL files: a DO block that commits per batch (PostgreSQL 11+, run outside a transaction). */
export function backfillDoBlock(b: BackfillSpec, pg: number): string {
  const t = q(b.table);
  const sleep = (b.sleepMs / 1000).toFixed(3);
  if (pg < 11) {
    return `-- PostgreSQL ${pg}: DO blocks cannot COMMIT; run this statement repeatedly (e.g. psql \\watch 0.1) until it updates 0 rows:\n${backfillBatchSql({ ...b, key: null })}`;
  }
  if (b.key === null) {
    return [
      'DO $$',
      'DECLARE n bigint; total bigint := 0;',
      'BEGIN',
      '  LOOP',
      `    ${backfillBatchSql(b)}`,
      '    GET DIAGNOSTICS n = ROW_COUNT;',
      '    EXIT WHEN n = 0;',
      '    total := total + n;',
      '    COMMIT;',
      `    RAISE NOTICE 'backfill ${b.table}: % rows', total;`,
      `    PERFORM pg_sleep(${sleep});`,
      '  END LOOP;',
      'END $$;',
    ].join('\n');
  }
  const k = quoteIdent(b.key);
  return [
    'DO $$',
    'DECLARE lo bigint; top bigint;',
    'BEGIN',
    `  SELECT min(${k}), max(${k}) INTO lo, top FROM ${t};`,
    '  WHILE lo IS NOT NULL AND lo <= top LOOP',
    `    UPDATE ${t} SET ${b.set} WHERE ${k} >= lo AND ${k} < lo + ${b.batchSize} AND ${b.pending};`,
    '    COMMIT;',
    `    RAISE NOTICE 'backfill ${b.table}: % of %', least(lo + ${b.batchSize} - 1, top), top;`,
    `    PERFORM pg_sleep(${sleep});`,
    // jump over gaps in the key (a sequence moved ahead, deleted ranges): one batch per range that has rows
    `    SELECT min(${k}) INTO lo FROM ${t} WHERE ${k} >= lo + ${b.batchSize};`,
    '  END LOOP;',
    'END $$;',
  ].join('\n');
}
