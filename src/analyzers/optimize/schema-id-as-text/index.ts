import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { changeTypeCommand, isIdColumn, isTextType, sampleValues, tableRows } from '../../../schema-review/column-roles.ts';
import { bytesScore, formatBytes, formatCount, quoteIdent } from '../../../format/format.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const schemaIdAsText = defineAnalyzer({
  id: 'schema-id-as-text',
  phase: 'optimize',
  title: 'Identifier columns stored as text/varchar',
  description: 'id and *_id columns typed varchar/text: wider keys, slower comparisons and joins, bigger indexes, no numeric ordering.',
  depth: 3,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      for (const c of t.columns) {
        if (!isIdColumn(c.name) || !isTextType(c.type)) continue;
        const values = sampleValues(c);
        const numeric = values.length > 0 && values.every((v) => /^\d{1,18}$/.test(v));
        const uuid = values.length > 0 && values.every((v) => UUID.test(v));
        const target = uuid ? 'uuid' : 'bigint';
        const rows = tableRows(t);
        const width = c.stats?.avgWidth ?? null;
        const saved = width === null ? 0 : Math.max(0, width + 1 - (uuid ? 16 : 8)) * rows;
        const pk = snapshot.constraints.some((k) => k.table === t.qualifiedName && k.type === 'primary' && k.columns.includes(c.name));
        findings.push({
          rule: 'schema-id-as-text',
          severity: pk ? 'warning' : 'info',
          title: `${t.qualifiedName}.${c.name} is an identifier stored as ${c.type}`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: {
            column: c.name,
            type: c.type,
            primaryKey: pk,
            rows: Math.round(rows),
            avgWidth: width,
            valuesSeen: values.length,
            valuesLookNumeric: numeric,
            valuesLookUuid: uuid,
            typeChange: { type: target, using: null },
          },
          impact: {
            score: bytesScore(saved) + (pk ? 5 : 1),
            summary:
              saved > 0
                ? `~${formatBytes(saved)} less in the table and as much again in every index on it as ${target}`
                : `keys as ${target} are fixed-width, compare faster and keep indexes small${rows > 0 ? ` (${formatCount(rows)} rows)` : ''}`,
            ...(saved > 0 ? { bytes: Math.round(saved) } : {}),
          },
          description:
            'Text keys are compared byte by byte under a collation, are wider than 8 bytes for most ids, and every referencing table and index repeats them. ' +
            (values.length === 0
              ? 'Without pg_stats (run ANALYZE or review a live database) the values could not be checked: use bigint for numeric ids, uuid for UUIDs.'
              : numeric
                ? 'Every sampled value is numeric.'
                : uuid
                  ? 'Every sampled value is a UUID.'
                  : 'Sampled values are not all numeric or UUIDs: check the format before converting.'),
          fix: {
            kind: 'migration',
            content: `ALTER TABLE ${t.qualifiedName} ALTER COLUMN ${quoteIdent(c.name)} TYPE ${target} USING ${quoteIdent(c.name)}::${target}; -- rewrites the table\n-- zero-downtime on a busy table:\n-- ${changeTypeCommand(t.qualifiedName, c.name, target)}`,
            safety: 'review',
            verified: false,
            verification: values.length === 0 ? 'column name and type only; values unchecked' : `${values.length} values from pg_stats checked, not every row`,
            language: 'sql',
          },
        });
      }
    }
    return findings;
  },
});
