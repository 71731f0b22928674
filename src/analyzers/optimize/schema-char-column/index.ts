import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { tableRows } from '../../../schema-review/column-roles.ts';
import { quoteIdent } from '../../../format/format.ts';
import { withSuffix } from '../../../sql/quote.ts';

export const schemaCharColumn = defineAnalyzer({
  id: 'schema-char-column',
  phase: 'optimize',
  title: 'char(n) columns',
  description: 'character(n) pads values with spaces, ignores trailing blanks in comparisons and is no faster than text.',
  depth: 3,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      for (const c of t.columns) {
        const m = /^character\((\d+)\)$/.exec(c.type) ?? (c.type === 'character' ? ['', '1'] : null);
        if (m === null) continue;
        const n = Number(m[1]);
        const col = quoteIdent(c.name);
        findings.push({
          rule: 'schema-char-column',
          severity: 'info',
          title: `${t.qualifiedName}.${c.name} is ${c.type}`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: { column: c.name, type: c.type, length: n, rows: Math.round(tableRows(t)), avgWidth: c.stats?.avgWidth ?? null },
          impact: { score: 1, summary: `values shorter than ${n} are padded with spaces; 'ab' = 'ab ' and length() ignores the padding` },
          description: `text with CHECK (length(${c.name}) = ${n}) (or <= ${n}) keeps the rule without the padding semantics; for fixed codes such as ISO country codes char(${n}) works but gains nothing.`,
          fix: {
            kind: 'migration',
            content: `ALTER TABLE ${t.qualifiedName} ALTER COLUMN ${col} TYPE text USING rtrim(${col}); -- rewrites the table\nALTER TABLE ${t.qualifiedName} ADD CONSTRAINT ${quoteIdent(withSuffix(`${t.name}_${c.name}`, '_len'))} CHECK (length(${col}) <= ${n}) NOT VALID;\nALTER TABLE ${t.qualifiedName} VALIDATE CONSTRAINT ${quoteIdent(withSuffix(`${t.name}_${c.name}`, '_len'))};`,
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
