import type { Database } from '../collect/connection.ts';
import { quoteIdent } from '../format/format.ts';
import { commentText, withSuffix } from '../sql/quote.ts';
import type { Finding, Snapshot } from '../model/index.ts';
import type { EntityGroup } from './normalize-design.ts';
import { entityGroups, normalizedDesign } from './normalize-design.ts';
import { planTypeChange } from './type-change-plans.ts';
import { tableDependents } from './column-dependents.ts';

export interface VerifyOptions {
  /** rows read per check (a bounded sample: the first N rows of the table) */
  readonly sampleRows: number;
  /** statement_timeout of each check */
  readonly timeoutMs: number;
}

const q = (qualified: string): string => qualified; // snapshot names are already quoted by format('%I.%I')

async function bounded<T extends object>(db: Database, sql: string, params: unknown[], timeoutMs: number): Promise<T[] | null> {
  try {
    return await db.inRolledBackTransaction(async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
      return (await client.query(sql, params)).rows as T[];
    });
  } catch {
    return null;
  }
}

/**
 * Checks normalization and foreign-key candidates on the real data (read-only, bounded by a row
 * sample and a statement timeout) and returns the findings with verified evidence.
 */
export async function verifySchemaFindings(db: Database, snapshot: Snapshot, findings: readonly Finding[], options: VerifyOptions): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.rule === 'schema-normalization') out.push(await verifyNormalization(db, snapshot, f, options));
    else if (f.rule === 'schema-missing-foreign-key') out.push(await verifyForeignKey(db, f, options));
    else if (f.evidence.typeChange !== undefined) {
      // a catalog read that fails (dropped meanwhile, no privilege) leaves the finding's own unverified fix
      out.push(await planTypeChange(db, f, options.sampleRows).catch(() => f));
    }
    else out.push(f);
  }
  return out;
}

async function verifyNormalization(db: Database, snapshot: Snapshot, f: Finding, o: VerifyOptions): Promise<Finding> {
  const table = snapshot.tables.find((t) => t.qualifiedName === f.target.relation);
  if (table === undefined) return f;
  const groups = entityGroups(snapshot, table);
  const keys = new Map<string, string>();
  const deps: { group: string; key: string | null; sampledRows: number; distinctEntities: number; keys: number | null; violations: number | null; holds: boolean | null }[] = [];
  for (const g of groups) {
    const cols = g.columns.map(quoteIdent).join(', ');
    const key = g.candidateKey;
    const others = g.columns.filter((c) => c !== key).map(quoteIdent).join(', ');
    const sql =
      `WITH s AS (SELECT * FROM ${q(table.qualifiedName)} LIMIT ${Math.trunc(o.sampleRows)}) ` +
      `SELECT (SELECT count(*) FROM s)::int8 AS rows, (SELECT count(DISTINCT (${cols})) FROM s)::int8 AS entities` +
      (key === null || others === ''
        ? ', NULL::int8 AS keys, NULL::int8 AS violations'
        : `, (SELECT count(DISTINCT ${quoteIdent(key)}) FROM s)::int8 AS keys, (SELECT count(*) FROM (SELECT ${quoteIdent(key)} FROM s WHERE ${quoteIdent(key)} IS NOT NULL GROUP BY 1 HAVING count(DISTINCT (${others})) > 1) v)::int8 AS violations`);
    const rows = await bounded<{ rows: string; entities: string; keys: string | null; violations: string | null }>(db, sql, [], o.timeoutMs);
    const r = rows?.[0];
    if (r === undefined) {
      deps.push({ group: g.prefix, key, sampledRows: 0, distinctEntities: 0, keys: null, violations: null, holds: null });
      continue;
    }
    const violations = r.violations === null ? null : Number(r.violations);
    const holds = violations === null ? null : violations === 0;
    if (holds === true && key !== null) keys.set(g.prefix, key);
    deps.push({ group: g.prefix, key, sampledRows: Number(r.rows), distinctEntities: Number(r.entities), keys: r.keys === null ? null : Number(r.keys), violations, holds });
  }
  if (deps.every((d) => d.sampledRows === 0)) return f;
  const design = normalizedDesign(table, groups as EntityGroup[], keys);
  // the rename leaves foreign keys, views and grants on the old table: not carried yet, so never "verified"
  const attached = await tableDependents(db, table.qualifiedName);
  const left = [
    ...attached.incomingFks.map((x) => `foreign key ${x}`),
    ...attached.views.map((x) => `view ${x}`),
    ...attached.grants.map((x) => `grant ${x}`),
  ];
  const old = withSuffix(table.name, '_old');
  const review =
    left.length === 0
      ? ''
      : `-- ${commentText(`NEEDS REVIEW: these stay on ${old} after the rename and must be re-created on the new tables by hand (DROP TABLE ${old} fails until then):`)}\n${left.map((x) => `--   ${commentText(x)}`).join('\n')}\n`;
  const lines = deps.map((d) =>
    d.key === null
      ? `${d.group}: ${d.distinctEntities} distinct ${d.group}s in ${d.sampledRows} rows`
      : d.holds === true
        ? `${d.key} → other ${d.group}_* columns holds on ${d.sampledRows} rows (${d.keys} ${d.group}s, ${d.sampledRows > 0 ? Math.round((d.sampledRows / Math.max(1, d.distinctEntities)) * 10) / 10 : 0} rows each)`
        : `${d.key} does NOT determine the other ${d.group}_* columns: ${d.violations} ${d.key} values map to several combinations in ${d.sampledRows} rows`,
  );
  return {
    ...f,
    evidence: { ...f.evidence, functionalDependencies: deps.map((d) => ({ ...d })) },
    impact: { ...f.impact, summary: `${f.impact.summary}; on the data: ${lines.join('; ')}` },
    nextSteps: [`improved schema:\n${design.ddl}`],
    fix: f.fix === undefined ? f.fix : {
      ...f.fix,
      content: `${review}${design.migration}`,
      rollback: design.rollback,
      verified: left.length === 0,
      ...(left.length === 0 ? {} : { safety: 'review' }),
      verification: `${left.length === 0 ? '' : `not applied as is: ${left.length} object(s) depend on the table (${left.join(', ')}); `}functional dependencies checked on the first ${o.sampleRows} rows (read-only, ${o.timeoutMs} ms timeout): ${lines.join('; ')}`,
    },
  } as Finding;
}

async function verifyForeignKey(db: Database, f: Finding, o: VerifyOptions): Promise<Finding> {
  const table = f.target.relation;
  const column = f.target.column;
  const parent = f.evidence.referencedTable;
  const parentCol = f.evidence.referencedColumn;
  if (table === undefined || column === undefined || typeof parent !== 'string' || typeof parentCol !== 'string') return f;
  const rows = await bounded<{ checked: string; orphans: string }>(
    db,
    `SELECT count(*)::int8 AS checked, count(*) FILTER (WHERE p.${quoteIdent(parentCol)} IS NULL)::int8 AS orphans
     FROM (SELECT ${quoteIdent(column)} AS v FROM ${table} WHERE ${quoteIdent(column)} IS NOT NULL LIMIT ${Math.trunc(o.sampleRows)}) c
     LEFT JOIN ${parent} p ON p.${quoteIdent(parentCol)} = c.v`,
    [],
    o.timeoutMs,
  );
  const r = rows?.[0];
  if (r === undefined) return f;
  const checked = Number(r.checked);
  const orphans = Number(r.orphans);
  return {
    ...f,
    severity: orphans > 0 || checked > 0 ? f.severity : 'info',
    evidence: { ...f.evidence, rowsChecked: checked, orphans },
    impact: {
      ...f.impact,
      summary: orphans === 0 ? `${checked} sampled values all exist in ${parent}: the foreign key can be added and validated as is` : `${orphans} of ${checked} sampled values have no row in ${parent}: clean them before VALIDATE`,
    },
    fix: f.fix === undefined ? f.fix : {
      ...f.fix,
      verified: orphans === 0 && checked > 0,
      verification: `orphans counted on ${checked} non-null values (first ${o.sampleRows} rows, read-only): ${orphans}`,
      ...(orphans > 0
        ? { content: `-- ${orphans} orphans in the sample: find them first\nSELECT c.* FROM ${table} c WHERE c.${quoteIdent(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.${quoteIdent(parentCol)} = c.${quoteIdent(column)});\n${f.fix.content}` }
        : {}),
    },
  } as Finding;
}
