import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { tableRows } from '../../../schema-review/column-roles.ts';
import { entityGroups, normalizedDesign } from '../../../schema-review/normalize-design.ts';
import { formatCount } from '../../../format/format.ts';

export const schemaNormalization = defineAnalyzer({
  id: 'schema-normalization',
  phase: 'optimize',
  title: 'Entities repeated inside another table (normalization)',
  description: 'Column groups with a shared prefix (customer_name, customer_email…) describe another entity that is copied into every row: update anomalies and wasted space. Proposes the normalized schema and the migration that fills it.',
  depth: 5,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      if (t.kind !== 'table' || t.isPartition) continue;
      const groups = entityGroups(snapshot, t);
      if (groups.length === 0) continue;
      const design = normalizedDesign(t, groups);
      const rows = tableRows(t);
      const width = groups.flatMap((g) => g.columns).reduce((sum, name) => sum + (t.columns.find((c) => c.name === name)?.stats?.avgWidth ?? 0), 0);
      findings.push({
        rule: 'schema-normalization',
        severity: 'warning',
        title: `${t.qualifiedName} repeats ${groups.map((g) => `${g.prefix} (${g.columns.length} columns)`).join(' and ')} in every row`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          groups: groups.map((g) => ({ prefix: g.prefix, columns: [...g.columns], candidateKey: g.candidateKey, newTable: g.newTable, existingIdColumn: g.existingIdColumn })),
          rows: Math.round(rows),
          repeatedBytesPerRow: width,
          functionalDependencies: null,
        },
        impact: {
          score: 20 + (rows * width) / (1024 * 1024),
          summary: `changing one ${groups[0]?.prefix ?? 'entity'}'s data means updating every row that copies it${rows > 0 && width > 0 ? `; ${formatCount(rows)} rows × ${width} bytes of copies` : ''}`,
        },
        description:
          `Each group becomes its own table (${groups.map((g) => g.newTable).join(', ')}) referenced by id. Without the data the migration keeps one row per distinct combination; ` +
          'with a live database the schema command checks whether the candidate key (e.g. the email) determines the other columns and then keys the new table on it.',
        nextSteps: [`improved schema:\n${design.ddl}`],
        fix: {
          kind: 'migration',
          content: design.migration,
          rollback: design.rollback,
          lockLevel: `ACCESS EXCLUSIVE on ${t.qualifiedName} only for the final rename`,
          safety: 'review',
          verified: false,
          verification: 'proposed from column names; functional dependencies not checked on data',
          language: 'sql',
        },
      });
    }
    return findings;
  },
});
