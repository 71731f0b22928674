import { defineAnalyzer } from '../../../engine/analyzer.ts';
import { withSuffix } from '../../../sql/quote.ts';
import type { Finding } from '../../../model/index.ts';
import { tableRows } from '../../../schema-review/column-roles.ts';
import { formatCount, quoteIdent } from '../../../format/format.ts';

export const schemaMissingPrimaryKey = defineAnalyzer({
  id: 'schema-missing-primary-key',
  phase: 'optimize',
  title: 'Tables without a primary key',
  description: 'Without a primary key rows cannot be addressed reliably, duplicates creep in, logical replication cannot replicate UPDATE/DELETE and ORMs misbehave.',
  depth: 2,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      if (t.kind !== 'table' || t.isPartition) continue;
      if (snapshot.constraints.some((k) => k.table === t.qualifiedName && k.type === 'primary')) continue;
      const uniqueNotNull = snapshot.indexes.find(
        (i) => i.table === t.qualifiedName && i.isUnique && i.isValid && i.predicate === null && i.columns.every((c) => !c.isExpression && t.columns.find((x) => quoteIdent(x.name) === c.name || x.name === c.name)?.notNull === true),
      );
      const rows = tableRows(t);
      const content =
        uniqueNotNull !== undefined
          ? `ALTER TABLE ${t.qualifiedName} ADD CONSTRAINT ${quoteIdent(withSuffix(t.name, '_pkey'))} PRIMARY KEY USING INDEX ${quoteIdent(uniqueNotNull.name)}; -- instant: reuses the unique index`
          : `-- no unique NOT NULL column: add a surrogate key (fills every row: rewrite under ACCESS EXCLUSIVE)\nALTER TABLE ${t.qualifiedName} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;\nCREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(withSuffix(t.name, '_pkey'))} ON ${t.qualifiedName} (id);\nALTER TABLE ${t.qualifiedName} ADD CONSTRAINT ${quoteIdent(withSuffix(t.name, '_pkey'))} PRIMARY KEY USING INDEX ${quoteIdent(withSuffix(t.name, '_pkey'))};`;
      findings.push({
        rule: 'schema-missing-primary-key',
        severity: rows > 10_000 || snapshot.server.database === 'ddl' ? 'warning' : 'info',
        title: `${t.qualifiedName} has no primary key`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: { rows: Math.round(rows), uniqueNotNullIndex: uniqueNotNull?.name ?? null, replicaIdentity: t.replicaIdentity },
        impact: { score: 5 + rows / 100_000, summary: `${rows > 0 ? `${formatCount(rows)} rows that` : 'rows'} cannot be updated or deleted one by one with certainty; logical replication rejects UPDATE/DELETE` },
        fix: { kind: 'migration', content, safety: uniqueNotNull === undefined ? 'review' : 'safe', verified: false, verification: 'catalog: no primary key constraint' },
      });
    }
    return findings;
  },
});
