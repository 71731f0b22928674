import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { changeTypeCommand, tableRows } from '../../../schema-review/column-roles.ts';
import { formatCount, quoteIdent } from '../../../format/format.ts';

export const schemaJsonColumn = defineAnalyzer({
  id: 'schema-json-column',
  phase: 'optimize',
  title: 'json columns that should be jsonb',
  description: 'json is stored as text and re-parsed on every access, has no equality operator and cannot use GIN indexes; jsonb can.',
  depth: 3,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      for (const c of t.columns) {
        if (c.type !== 'json' && c.type !== 'json[]') continue;
        findings.push({
          rule: 'schema-json-column',
          severity: 'info',
          title: `${t.qualifiedName}.${c.name} is json, not jsonb`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: { column: c.name, type: c.type, rows: Math.round(tableRows(t)), avgWidth: c.stats?.avgWidth ?? null, ...(c.type === 'json' ? { typeChange: { type: 'jsonb', using: null } } : {}) },
          impact: { score: 3, summary: `every ->/->> re-parses the document${tableRows(t) > 0 ? ` (${formatCount(tableRows(t))} rows)` : ''}; no GIN index, no DISTINCT/GROUP BY on the column` },
          description: 'Keep json only when the exact text (key order, duplicate keys, whitespace) must be preserved.',
          fix: {
            kind: 'migration',
            content: `ALTER TABLE ${t.qualifiedName} ALTER COLUMN ${quoteIdent(c.name)} TYPE jsonb USING ${quoteIdent(c.name)}::jsonb; -- rewrites the table\n-- zero-downtime: ${changeTypeCommand(t.qualifiedName, c.name, 'jsonb')}`,
            safety: 'review',
            verified: false,
            verification: 'catalog type only',
            language: 'sql',
          },
        });
      }
    }
    return findings;
  },
});
