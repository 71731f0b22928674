import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { changeTypeCommand, isAmountColumn, isTextType, sampleValues, tableRows } from '../../../schema-review/column-roles.ts';
import { formatCount, quoteIdent } from '../../../format/format.ts';

export const schemaAmountType = defineAnalyzer({
  id: 'schema-amount-type',
  phase: 'optimize',
  title: 'Money amounts stored as text, float or money',
  description: 'Amount-like columns typed text/varchar (no arithmetic, no validation), float (binary rounding: 0.1 + 0.2 ≠ 0.3) or money (locale-dependent).',
  depth: 3,
  requires: {},
  options: {
    precision: { default: 12, description: 'numeric precision proposed for amounts' },
    scale: { default: 2, description: 'numeric scale proposed for amounts' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    const target = `numeric(${options.precision},${options.scale})`;
    for (const t of snapshot.tables) {
      for (const c of t.columns) {
        const text = isTextType(c.type);
        const float = c.type === 'double precision' || c.type === 'real';
        const money = c.type === 'money';
        if (!(money || ((text || float) && isAmountColumn(c.name)))) continue;
        const values = sampleValues(c);
        const bad = text ? values.filter((v) => !/^-?\d+(\.\d+)?$/.test(v.trim())) : [];
        const using = money ? `${quoteIdent(c.name)}::numeric` : text ? `nullif(trim(${quoteIdent(c.name)}), '')::numeric` : `round(${quoteIdent(c.name)}::numeric, ${options.scale})`;
        const problem = text ? 'text: no arithmetic, sorting as strings ("10" < "9"), any garbage accepted' : float ? 'binary floating point: sums drift (0.1 + 0.2 = 0.30000000000000004)' : 'money: output and input depend on lc_monetary, one currency per database';
        findings.push({
          rule: 'schema-amount-type',
          severity: text || float ? 'warning' : 'info',
          title: `${t.qualifiedName}.${c.name} stores an amount as ${c.type}`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: { column: c.name, type: c.type, rows: Math.round(tableRows(t)), valuesSeen: values.length, nonNumericValues: bad.length, examplesNonNumeric: bad.slice(0, 3), typeChange: { type: target, using } },
          impact: { score: text || float ? 20 : 2, summary: `${problem}${tableRows(t) > 0 ? ` (${formatCount(tableRows(t))} rows)` : ''}` },
          description: `Use ${target}: exact decimal arithmetic, validated input, SUM/AVG in SQL. ${bad.length > 0 ? `${bad.length} sampled values are not plain numbers and must be cleaned first.` : ''}`.trim(),
          fix: {
            kind: 'migration',
            content:
              `ALTER TABLE ${t.qualifiedName} ALTER COLUMN ${quoteIdent(c.name)} TYPE ${target} USING ${using}; -- rewrites the table\n` +
              `-- zero-downtime: ${changeTypeCommand(t.qualifiedName, c.name, target)}`,
            safety: 'review',
            verified: false,
            verification: values.length === 0 ? 'column name and type only' : `${values.length} pg_stats values checked for the cast`,
            language: 'sql',
          },
        });
      }
    }
    return findings;
  },
});
