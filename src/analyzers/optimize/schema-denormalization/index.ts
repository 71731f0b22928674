import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { findTable, tableRows } from '../../../schema-review/column-roles.ts';
import { readPattern, writeTarget } from '../../../schema-review/read-patterns.ts';
import type { CountPerRead } from '../../../schema-review/read-patterns.ts';
import { formatCount, quoteIdent, round } from '../../../format/format.ts';
import { withSuffix } from '../../../sql/quote.ts';

/** The trigger and its function share one derived name (63-byte safe, hashed when cut). */
const counterName = (c: CountPerRead): string => withSuffix(`${c.child}_${c.name}`, '_counter');

const perSecond = (callsPerDay: number): number => callsPerDay / 86_400;

function counterTrigger(c: CountPerRead, pg: number): string {
  const fn = quoteIdent(counterName(c));
  const target = (row: 'NEW' | 'OLD'): string =>
    c.via === null ? `${row}.${quoteIdent(c.childFk)}` : `(SELECT ${quoteIdent(c.via.fk)} FROM ${quoteIdent(c.via.table)} WHERE ${quoteIdent(c.via.key)} = ${row}.${quoteIdent(c.childFk)})`;
  const amount = (row: 'NEW' | 'OLD'): string => (c.aggregate === 'sum' && c.valueColumn !== null ? `coalesce(${row}.${quoteIdent(c.valueColumn)}, 0)` : '1');
  const upd = (delta: string, row: 'NEW' | 'OLD'): string =>
    `UPDATE ${quoteIdent(c.parent)} SET ${quoteIdent(c.name)} = ${quoteIdent(c.name)} ${delta} ${amount(row)} WHERE ${quoteIdent(c.parentKey)} = ${target(row)};`;
  const watched = [c.childFk, ...(c.aggregate === 'sum' && c.valueColumn !== null ? [c.valueColumn] : [])].map(quoteIdent).join(', ');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    `  IF TG_OP IN ('INSERT', 'UPDATE') THEN ${upd('+', 'NEW')} END IF;`,
    `  IF TG_OP IN ('DELETE', 'UPDATE') THEN ${upd('-', 'OLD')} END IF;`,
    '  RETURN NULL;',
    'END $$;',
    `CREATE TRIGGER ${fn} AFTER INSERT OR DELETE OR UPDATE OF ${watched} ON ${quoteIdent(c.child)} FOR EACH ROW EXECUTE ${pg >= 11 ? 'FUNCTION' : 'PROCEDURE'} ${fn}();`,
  ].join('\n');
}

const aggregateSql = (c: CountPerRead, alias: string): string => (c.aggregate === 'sum' && c.valueColumn !== null ? `coalesce(sum(${alias}.${quoteIdent(c.valueColumn)}), 0)` : 'count(*)');

function backfill(c: CountPerRead): string {
  const src =
    c.via === null
      ? `SELECT x.${quoteIdent(c.childFk)} AS k, ${aggregateSql(c, 'x')} AS n FROM ${quoteIdent(c.child)} x GROUP BY 1`
      : `SELECT v.${quoteIdent(c.via.fk)} AS k, ${aggregateSql(c, 'x')} AS n FROM ${quoteIdent(c.child)} x JOIN ${quoteIdent(c.via.table)} v ON v.${quoteIdent(c.via.key)} = x.${quoteIdent(c.childFk)} GROUP BY 1`;
  return `UPDATE ${quoteIdent(c.parent)} p SET ${quoteIdent(c.name)} = s.n FROM (${src}) s WHERE s.k = p.${quoteIdent(c.parentKey)}; -- batch by key range on a large table (db-optimize migrate plan shows how)`;
}

export const schemaDenormalization = defineAnalyzer({
  id: 'schema-denormalization',
  phase: 'optimize',
  title: 'Read-heavy statements that count or sum child rows on every read',
  description: 'High-rate SELECTs that join and count child rows per result row (feeds with comment/like counts): proposes counter columns kept by triggers, or a materialized view, with the consistency strategy and the write cost.',
  depth: 5,
  requires: { workload: true },
  options: {
    minCallsPerSecond: { default: 10, description: 'only statements called at least this often' },
  },
  run({ snapshot, workload, options }) {
    const statements = workload?.statements ?? [];
    const writesPerSecond = new Map<string, number>();
    for (const s of statements) {
      const w = writeTarget(s.sample ?? s.text);
      if (w === null || w.kind === 'update') continue;
      writesPerSecond.set(w.table, (writesPerSecond.get(w.table) ?? 0) + perSecond(s.calls));
    }
    const window = workload?.windowSeconds ?? null;
    const findings: Finding[] = [];
    for (const s of statements) {
      // SQL-file workloads give calls per day (-- calls: N/s); pg_stat_statements gives calls over the window
      const callsPerSecond = window !== null && window > 0 ? s.calls / window : perSecond(s.calls);
      if (callsPerSecond < options.minCallsPerSecond) continue;
      const p = readPattern(s.sample ?? s.text);
      if (p === null || p.counts.length === 0) continue;
      const parentTable = findTable(snapshot, p.counts[0]?.parent ?? '');
      const counters = p.counts.map((c) => {
        const childTable = findTable(snapshot, c.child);
        const childWrites = writesPerSecond.get(c.child) ?? 0;
        return { c, childRows: childTable === undefined ? 0 : tableRows(childTable), childWrites };
      });
      const rowsCountedPerRead = counters.reduce((sum, x) => {
        const parent = findTable(snapshot, x.c.parent);
        const parentRows = parent === undefined ? 0 : tableRows(parent);
        return sum + (parentRows > 0 && x.childRows > 0 ? x.childRows / parentRows : 0);
      }, 0);
      const extraUpdates = counters.reduce((sum, x) => sum + x.childWrites, 0);
      const ddl = counters.map((x) => `ALTER TABLE ${quoteIdent(x.c.parent)} ADD COLUMN IF NOT EXISTS ${quoteIdent(x.c.name)} ${x.c.aggregate === 'sum' ? 'numeric' : 'bigint'} NOT NULL DEFAULT 0; -- metadata only on 11+`).join('\n');
      const triggers = counters.map((x) => counterTrigger(x.c, snapshot.server.major)).join('\n\n');
      const fills = counters.map((x) => backfill(x.c)).join('\n');
      const parent = p.counts[0]?.parent ?? '?';
      const mvName = `${parent}_counts`;
      const mv = [
        `CREATE MATERIALIZED VIEW ${quoteIdent(mvName)} AS SELECT p.${quoteIdent(p.counts[0]?.parentKey ?? 'id')} AS id,`,
        ...counters.map((x, i) =>
          x.c.via === null
            ? `  (SELECT ${aggregateSql(x.c, 'c')} FROM ${quoteIdent(x.c.child)} c WHERE c.${quoteIdent(x.c.childFk)} = p.${quoteIdent(x.c.parentKey)}) AS ${quoteIdent(x.c.name)}${i === counters.length - 1 ? '' : ','}`
            : `  (SELECT ${aggregateSql(x.c, 'c')} FROM ${quoteIdent(x.c.child)} c JOIN ${quoteIdent(x.c.via.table)} v ON v.${quoteIdent(x.c.via.key)} = c.${quoteIdent(x.c.childFk)} WHERE v.${quoteIdent(x.c.via.fk)} = p.${quoteIdent(x.c.parentKey)}) AS ${quoteIdent(x.c.name)}${i === counters.length - 1 ? '' : ','}`,
        ),
        `FROM ${quoteIdent(parent)} p;`,
        `CREATE UNIQUE INDEX ON ${quoteIdent(mvName)} (id); -- required by REFRESH … CONCURRENTLY`,
        `SELECT cron.schedule('refresh-${mvName}', '* * * * *', $$REFRESH MATERIALIZED VIEW CONCURRENTLY ${quoteIdent(mvName)}$$);`,
      ].join('\n');
      const childRowsTotal = counters.reduce((sum, x) => sum + x.childRows, 0);
      const names = counters.map((x) => `${x.c.parent}.${x.c.name}`);
      findings.push({
        rule: 'schema-denormalization',
        severity: callsPerSecond >= 100 ? 'warning' : 'info',
        title: `${formatCount(callsPerSecond)}/s statement counts ${counters.map((x) => x.c.child).join(' and ')} on every read: keep ${names.join(', ')} as counter columns`,
        target: { kind: 'statement', ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }), ...(s.origin === undefined ? {} : { location: s.origin }) },
        evidence: {
          statement: (s.sample ?? s.text).slice(0, 300),
          callsPerSecond: round(callsPerSecond, 1),
          tablesJoined: [...p.tables],
          counts: counters.map((x) => ({ counter: `${x.c.parent}.${x.c.name}`, aggregate: x.c.aggregate === 'sum' ? `sum(${x.c.child}.${x.c.valueColumn ?? '?'})` : 'count', counts: x.c.child, via: x.c.via?.table ?? null, form: x.c.form, childRows: Math.round(x.childRows), childWritesPerSecond: round(x.childWrites, 1) })),
          childRowsCountedPerRead: round(rowsCountedPerRead, 1),
          extraParentUpdatesPerSecond: round(extraUpdates, 1),
        },
        impact: {
          score: callsPerSecond * Math.max(1, rowsCountedPerRead) * 10,
          summary:
            `${formatCount(callsPerSecond * 86_400)} reads/day each count ${rowsCountedPerRead > 0 ? `~${formatCount(rowsCountedPerRead)} child rows per result row` : 'child rows'}; ` +
            `counters turn that into a column read, for ${round(extraUpdates, 1)} extra parent-row UPDATEs/s on writes`,
        },
        description:
          'Consistency strategies: (1) triggers (below): exact and synchronous, each child INSERT/DELETE also updates one parent row — cheap, but concurrent writes to the same hot parent (a viral post) serialize on its row lock; ' +
          '(2) application writes the counter in the same transaction as the child row: same cost, but every write path must remember it; ' +
          `(3) a materialized view refreshed CONCURRENTLY every minute: no write cost, counts up to a minute stale, each refresh rescans ${childRowsTotal > 0 ? `${formatCount(childRowsTotal)} ` : ''}child rows. ` +
          'Joins on primary keys (author name) stay: one index lookup per row is cheap; copy the name into the parent only if profiles show the join.',
        nextSteps: [
          `rewrite the read to use the counters: replace the count${counters.length > 1 ? 's' : ''} with ${counters.map((x) => `${x.c.parentAlias}.${x.c.name}`).join(', ')} and drop the ${p.counts[0]?.form === 'group-by' ? 'LEFT JOINs and GROUP BY' : 'subqueries'}`,
          'hot parents: if one row takes >100 child writes/s, shard the counter (a parent_counts(parent_id, shard, n) table, shard = random 0-15, SUM on read) or batch increments from a queue',
          `alternative (periodic refresh):\n${mv}`,
          'keep it honest: a nightly job can compare the counters with count(*) for a sample of parents and log drift',
        ],
        fix: {
          kind: 'migration',
          content: `${ddl}\n\n${triggers}\n\n-- backfill after the triggers exist, so no write is missed\n${fills}`,
          rollback: counters.map((x) => `DROP TRIGGER IF EXISTS ${quoteIdent(counterName(x.c))} ON ${quoteIdent(x.c.child)};\nDROP FUNCTION IF EXISTS ${quoteIdent(counterName(x.c))}();\nALTER TABLE ${quoteIdent(x.c.parent)} DROP COLUMN IF EXISTS ${quoteIdent(x.c.name)};`).join('\n'),
          lockLevel: 'ACCESS EXCLUSIVE (instant) for ADD COLUMN; SHARE ROW EXCLUSIVE (instant) for CREATE TRIGGER',
          safety: 'review',
          verified: false,
          verification: `design from the workload's call rates${parentTable === undefined || tableRows(parentTable) === 0 ? '' : ' and table sizes'}; the read cost drop is not measured`,
          language: 'sql',
        },
      });
    }
    return findings;
  },
});
