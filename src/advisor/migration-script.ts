import { concurrentCreate, concurrentDrop } from '../format/index-definitions.ts';
import { commentText } from '../sql/quote.ts';
import { dropIndexDdl } from './index-name.ts';
import type { AdvisorResult } from './types.ts';

/**
 * A migration for psql: lock_timeout so DDL never queues behind long transactions, CONCURRENTLY
 * builds (which cannot run inside a transaction block), drops only after the new indexes, and a
 * commented rollback section.
 */
export function migrationScript(result: AdvisorResult, meta: { database: string; generatedAt: string }): string {
  const lines = [
    `-- db-optimize index migration for ${commentText(meta.database)}, generated ${meta.generatedAt}`,
    `-- Evaluation: ${result.methodNote}`,
    `-- Weighted workload cost: ${Math.round(result.workload.costBefore)} before, ${result.workload.costAfter === null ? 'not measured' : Math.round(result.workload.costAfter)} after`,
    '-- Run with psql OUTSIDE a transaction (no BEGIN, no --single-transaction): CONCURRENTLY cannot run in one.',
    '-- A failed CONCURRENTLY build leaves an INVALID index: drop it (DROP INDEX CONCURRENTLY IF EXISTS …) and retry.',
    '',
    "SET lock_timeout = '5s';",
    'SET statement_timeout = 0;',
    '',
  ];
  if (result.indexes.length === 0 && result.drops.length === 0) lines.push('-- nothing to do: no index pays for itself on this workload');
  result.indexes.forEach((r, i) => {
    lines.push(`-- ${i + 1}. ${commentText(r.candidate.table)}: ${r.statements.length} statement(s), ~${Math.round(r.sizeBytes / 1024)} kB, ${r.verified ? 'verified' : 'UNVERIFIED'} (${r.method})`);
    lines.push(r.ddl, '');
  });
  if (result.drops.length > 0) {
    lines.push('-- Redundant indexes: drop only after the indexes above exist and are valid.');
    for (const d of result.drops) lines.push(`-- ${commentText(d.index.name)} → replaced by ${commentText(d.replacedBy)} (${d.method}${d.verified ? '' : ', unverified'})`, concurrentDrop(d.index), '');
  }
  lines.push('-- ROLLBACK: run these statements to undo the migration, in this order.');
  for (const d of result.drops) lines.push(`-- ${commentText(concurrentCreate(d.index))}`);
  // a partitioned index (ON ONLY …) cannot be dropped CONCURRENTLY
  for (const r of [...result.indexes].reverse()) lines.push(`-- ${commentText(dropIndexDdl(r.candidate.table, r.name, !/ ON ONLY /.test(r.ddl)))}`);
  return `${lines.join('\n')}\n`;
}
