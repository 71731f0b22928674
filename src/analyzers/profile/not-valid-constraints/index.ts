import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, quoteIdent } from '../../../format/format.ts';
import { tableByName } from '../../snapshot-lookup.ts';

export const notValidConstraints = defineAnalyzer({
  id: 'not-valid-constraints',
  phase: 'profile',
  title: 'NOT VALID constraints',
  description: 'CHECK and FOREIGN KEY constraints added with NOT VALID and never validated: existing rows are not guaranteed to satisfy them, and the planner cannot rely on them.',
  depth: 1,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const c of snapshot.constraints) {
      if (c.validated || (c.type !== 'check' && c.type !== 'foreign')) continue;
      const table = tableByName(snapshot, c.table);
      const rows = Math.max(table?.activity?.nLiveTup ?? 0, table?.rowEstimate ?? 0);
      findings.push({
        rule: 'not-valid-constraints',
        severity: 'warning',
        title: `Constraint ${c.name} on ${c.table} is NOT VALID`,
        target: { kind: 'constraint', relation: c.table, name: c.name },
        evidence: { constraint: c.name, type: c.type, definition: c.definition, table: c.table, tableRows: Math.round(rows) },
        impact: { score: 5, summary: `${formatCount(rows)} existing rows are not checked against ${c.name}` },
        description:
          'NOT VALID is the right way to add a constraint to a large table without a long lock, but it is half of the migration: until VALIDATE CONSTRAINT runs, ' +
          'old rows may violate it' +
          (c.type === 'check' ? ' and the planner cannot use it for constraint exclusion.' : '.'),
        fix: {
          kind: 'sql',
          content: `ALTER TABLE ${c.table} VALIDATE CONSTRAINT ${quoteIdent(c.name)};`,
          lockLevel:
            c.type === 'foreign'
              ? 'SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the referenced table (reads and writes continue)'
              : 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          safety: 'safe',
          verified: false,
          verification: 'validation scans the whole table and fails if any row violates the constraint: run it off-peak, fix violating rows first',
        },
      });
    }
    return findings;
  },
});
