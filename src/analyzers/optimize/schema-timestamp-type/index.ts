import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { changeTypeCommand, isTextType, isTimestampColumn, sampleValues, tableRows } from '../../../schema-review/column-roles.ts';
import { formatCount, quoteIdent } from '../../../format/format.ts';

export const schemaTimestampType = defineAnalyzer({
  id: 'schema-timestamp-type',
  phase: 'optimize',
  title: 'Timestamps stored as text or as timestamp without time zone',
  description: 'Time columns typed text/varchar (no range queries, no validation, 2-3× wider) or timestamp without time zone (ambiguous instants across zones and DST).',
  depth: 3,
  requires: {},
  options: {
    assumedZone: { default: 'UTC', description: 'time zone the existing timestamp values were written in (used in the conversion)' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      for (const c of t.columns) {
        const text = isTextType(c.type) && isTimestampColumn(c.name);
        const naive = c.type.startsWith('timestamp') && c.type.includes('without time zone');
        if (!text && !naive) continue;
        const col = quoteIdent(c.name);
        // AT TIME ZONE states the zone; a bare ::timestamptz cast would use the server's TimeZone setting
        const zone = options.assumedZone.replace(/'/g, "''");
        // text values that carry their own offset keep it; the others are read as wall-clock time in the assumed zone
        const offsets = sampleValues(c).some((v) => /(Z|[+-]\d\d(:?\d\d)?)$/i.test(v.trim()));
        const using = text && offsets ? `${col}::timestamptz` : text ? `${col}::timestamp AT TIME ZONE '${zone}'` : `${col} AT TIME ZONE '${zone}'`;
        const width = c.stats?.avgWidth ?? null;
        findings.push({
          rule: 'schema-timestamp-type',
          severity: text ? 'warning' : 'info',
          title: `${t.qualifiedName}.${c.name} is ${text ? `a timestamp stored as ${c.type}` : 'timestamp without time zone'}`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: { column: c.name, type: c.type, rows: Math.round(tableRows(t)), avgWidth: width, examples: sampleValues(c).slice(0, 3), typeChange: { type: 'timestamptz', using } },
          impact: {
            score: text ? 15 : 2,
            summary: text
              ? `range filters and ORDER BY compare strings; ${width === null ? 'values' : `${width} bytes per value vs 8`} and no validation${tableRows(t) > 0 ? ` (${formatCount(tableRows(t))} rows)` : ''}`
              : 'the UTC offset is dropped on write: values from sessions in other zones and around DST become wrong instants',
          },
          description: `timestamptz stores an instant (8 bytes) and renders it in the session zone. The conversion assumes the existing values were written in ${options.assumedZone} (option assumedZone).`,
          fix: {
            kind: 'migration',
            content: `ALTER TABLE ${t.qualifiedName} ALTER COLUMN ${col} TYPE timestamptz USING ${using}; -- ${text ? 'rewrites the table' : `rewrites unless timezone = '${options.assumedZone}' and PostgreSQL 12+ (then metadata only)`}\n-- zero-downtime: ${changeTypeCommand(t.qualifiedName, c.name, 'timestamptz', using)}`,
            safety: 'review',
            verified: false,
            verification: 'column name and type; the zone of existing values is an assumption',
            language: 'sql',
          },
        });
      }
    }
    return findings;
  },
});
