import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Sequence, Snapshot } from '../../../model/index.ts';
import { bareNameOf, commentText, deriveIdentifier, withSuffix } from '../../../sql/quote.ts';
import { formatCount, percent, quoteIdent, round } from '../../../format/format.ts';

const TYPE_MAX: Readonly<Record<string, number>> = { smallint: 32_767, integer: 2_147_483_647, bigint: 2 ** 63 - 1 };

/** "table\u0000column" of every single-column primary key. */
function primaryKeyColumns(snapshot: Snapshot): Set<string> {
  const out = new Set<string>();
  for (const c of snapshot.constraints) if (c.type === 'primary' && c.columns.length === 1) out.add(`${c.table}\u0000${c.columns[0]}`);
  return out;
}

/** The bigint migration path for an int4 key, with the referencing foreign key columns. */
function bigintMigration(snapshot: Snapshot, seq: Sequence, table: string, column: string): string {
  const col = quoteIdent(column);
  const refs = snapshot.constraints.filter((c) => c.type === 'foreign' && c.references?.table === table && c.references.columns.includes(column));
  const lines = [
    `-- small table or a maintenance window: one rewrite under ACCESS EXCLUSIVE (blocks reads and writes for its duration)`,
    `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE bigint;`,
    ...refs.map((r) => `ALTER TABLE ${r.table} ALTER COLUMN ${r.columns.map(quoteIdent).join(', ')} TYPE bigint;  -- ${commentText(`references it (${r.name})`)}`),
    `ALTER SEQUENCE ${seq.qualifiedName} AS bigint;`,
    '',
    '-- large table, online:',
    // names may hold newlines: the recipe lines are comments, so they go through commentText
    ...[
      `1. ALTER TABLE ${table} ADD COLUMN ${quoteIdent(withSuffix(column, '_new'))} bigint;`,
      `2. a trigger sets NEW.${quoteIdent(withSuffix(column, '_new'))} := NEW.${col} on INSERT/UPDATE`,
      `3. backfill in batches: UPDATE ${table} SET ${quoteIdent(withSuffix(column, '_new'))} = ${col} WHERE ${col} BETWEEN … AND … ;`,
      `4. CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(deriveIdentifier([bareNameOf(table), column, 'new'], 'idx'))} ON ${table} (${quoteIdent(withSuffix(column, '_new'))});`,
      `5. in one short transaction: drop the old primary key, ADD PRIMARY KEY USING INDEX on the new column, rename the columns, ALTER SEQUENCE ${seq.qualifiedName} AS bigint OWNED BY the new column`,
      ...(refs.length > 0 ? [`6. repeat for the referencing columns: ${refs.map((r) => `${r.table}(${r.columns.map(quoteIdent).join(', ')})`).join(', ')}`] : []),
    ].map((l) => `-- ${commentText(l)}`),
  ];
  return lines.join('\n');
}

export const sequenceOverflow = defineAnalyzer({
  id: 'sequence-overflow',
  phase: 'profile',
  title: 'Sequences near overflow',
  description:
    'Sequences close to the maximum of their own type or of the column they feed (an integer column fed by a bigint sequence overflows at 2^31), with int4 primary keys flagged early and the bigint migration path.',
  depth: 1,
  requires: {},
  options: {
    thresholdPercent: { default: 90, description: 'report sequences at or above this share of their maximum' },
    int4PrimaryKeyPercent: { default: 50, description: 'report integer primary keys earlier, at this share of 2^31 (the migration takes time)' },
    criticalPercent: { default: 95, description: 'critical at or above this share' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    let pks: Set<string> | null = null;
    for (const seq of snapshot.sequences) {
      if (seq.lastValue === null) continue;
      const columnType = seq.ownedBy?.columnType ?? null;
      const columnMax = columnType === null ? undefined : TYPE_MAX[columnType];
      const ascending = seq.increment > 0;
      const max = ascending ? Math.min(seq.maxValue, columnMax ?? Number.POSITIVE_INFINITY) : Math.abs(seq.minValue);
      if (max <= 0) continue;
      const used = Math.abs(seq.lastValue) / max;
      const owner = seq.ownedBy;
      const pk = owner !== null && (pks ??= primaryKeyColumns(snapshot)).has(`${owner.table}\u0000${owner.column}`);
      const int4Key = pk && columnType === 'integer';
      const threshold = int4Key ? Math.min(options.int4PrimaryKeyPercent, options.thresholdPercent) : options.thresholdPercent;
      if (used * 100 < threshold) continue;
      const remaining = Math.max(0, max - Math.abs(seq.lastValue));
      const limitedBy = columnMax !== undefined && columnMax < seq.maxValue ? `column ${owner?.table}.${owner?.column} (${columnType})` : `sequence type ${seq.dataType}`;
      const narrow = owner !== null && (columnType === 'integer' || columnType === 'smallint');
      findings.push({
        rule: 'sequence-overflow',
        severity: used * 100 >= options.criticalPercent ? 'critical' : 'warning',
        title: `Sequence ${seq.qualifiedName} is at ${percent(used)} of its maximum (${formatCount(remaining)} values left)${int4Key ? ': integer primary key' : ''}`,
        target: { kind: 'sequence', name: seq.qualifiedName, ...(owner === null ? {} : { relation: owner.table, column: owner.column }) },
        evidence: {
          sequence: seq.qualifiedName,
          dataType: seq.dataType,
          lastValue: seq.lastValue,
          maxValue: max,
          usedRatio: round(used, 4),
          remaining,
          limitedBy,
          ownedBy: owner === null ? null : `${owner.table}.${owner.column}`,
          columnType,
          primaryKey: pk,
          cycle: seq.cycle,
        },
        impact: {
          score: used * 10_000 * (pk ? 2 : 1),
          summary: `${formatCount(remaining)} more values, then every INSERT that uses ${seq.qualifiedName} fails`,
        },
        description:
          `When the sequence or the ${columnType ?? 'column'} it feeds reaches its maximum, nextval() or the INSERT fails with "out of range" and the application stops writing to ${owner?.table ?? 'the table'}. ` +
          (int4Key ? 'Integer primary keys are flagged early: moving to bigint on a large table is a multi-step online migration.' : ''),
        ...(narrow && owner !== null
          ? {
              fix: {
                kind: 'migration' as const,
                content: bigintMigration(snapshot, seq, owner.table, owner.column),
                lockLevel: 'one-step: ACCESS EXCLUSIVE for the whole rewrite; online path: SHARE UPDATE EXCLUSIVE plus brief ACCESS EXCLUSIVE for the swap',
                safety: 'review' as const,
                verified: false,
                verification: 'a migration plan; rehearse it on a copy (db-optimize migrate plan) and update application code that assumes 32-bit ids',
              },
            }
          : {
              fix: {
                kind: 'sql' as const,
                content: `-- the sequence itself is the limit\nALTER SEQUENCE ${seq.qualifiedName} AS bigint;`,
                safety: 'review' as const,
                verified: false,
                verification: 'check the columns that store these values are bigint too',
              },
            }),
      });
    }
    return findings;
  },
});
