import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { changeTypeCommand, distinctValues, isAmountColumn, isIdColumn, isTextType, isTimestampColumn, tableRows } from '../../../schema-review/column-roles.ts';
import { commentText, quoteLiteral, fitIdentifier, withSuffix } from '../../../sql/quote.ts';
import { bytesScore, formatBytes, formatCount, quoteIdent } from '../../../format/format.ts';

export const schemaEnumLikeText = defineAnalyzer({
  id: 'schema-enum-like-text',
  phase: 'optimize',
  title: 'Free-text columns that hold a handful of values',
  description: 'A text column with only a few distinct values (pg_stats) is an enumeration without validation: typos become new states.',
  depth: 3,
  requires: {},
  options: {
    maxDistinct: { default: 12, description: 'at most this many distinct values' },
    minRows: { default: 1000, description: 'only tables with at least this many rows (a tiny table proves nothing)' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      const rows = tableRows(t);
      if (rows < options.minRows) continue;
      for (const c of t.columns) {
        // timestamps and amounts stored as text have their own findings; a single value is a constant, not an enumeration
        if (!isTextType(c.type) || isIdColumn(c.name) || isTimestampColumn(c.name) || isAmountColumn(c.name) || c.stats === null) continue;
        const n = distinctValues(t, c);
        const values = (c.stats.mostCommonVals ?? []).filter((v): v is string => v !== null);
        const covered = (c.stats.mostCommonFreqs ?? []).reduce((a, b) => a + b, 0) + c.stats.nullFrac;
        if (n === null || n < 2 || n > options.maxDistinct || values.length < n || covered < 0.99) continue;
        const saved = Math.max(0, c.stats.avgWidth + 1 - 4) * rows * (1 - c.stats.nullFrac);
        const col = quoteIdent(c.name);
        const list = values.map(quoteLiteral).join(', ');
        const check = quoteIdent(withSuffix(`${t.name}_${c.name}`, '_check'));
        const enumType = quoteIdent(fitIdentifier(`${t.name}_${c.name}`));
        findings.push({
          rule: 'schema-enum-like-text',
          severity: 'info',
          title: `${t.qualifiedName}.${c.name} holds only ${n} distinct values`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: { column: c.name, type: c.type, rows: Math.round(rows), distinct: n, values, frequencies: (c.stats.mostCommonFreqs ?? []).map((f) => Math.round(f * 1000) / 1000), avgWidth: c.stats.avgWidth },
          impact: { score: bytesScore(saved) + 1, summary: `any string is accepted; as an enum ~${formatBytes(saved)} smaller (${formatCount(rows)} rows × ${c.stats.avgWidth} → 4 bytes)`, bytes: Math.round(saved) },
          description: 'The cheapest fix is a CHECK constraint (added NOT VALID, validated without blocking). An enum type also shrinks the column to 4 bytes but adding values needs ALTER TYPE; a lookup table with a foreign key suits values that carry attributes.',
          fix: {
            kind: 'migration',
            content: `ALTER TABLE ${t.qualifiedName} ADD CONSTRAINT ${check} CHECK (${col} IN (${list})) NOT VALID;\nALTER TABLE ${t.qualifiedName} VALIDATE CONSTRAINT ${check};\n-- ${commentText(`or: CREATE TYPE ${enumType} AS ENUM (${list}); then ${changeTypeCommand(t.qualifiedName, c.name, enumType, `${col}::${enumType}`)}`)}`,
            safety: 'safe',
            verified: false,
            verification: `pg_stats: ${n} distinct values cover ${Math.round(covered * 1000) / 10} % of rows (sampled by ANALYZE)`,
            language: 'sql',
          },
        });
      }
    }
    return findings;
  },
});
