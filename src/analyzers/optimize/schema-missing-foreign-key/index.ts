import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Table } from '../../../model/index.ts';
import { plural, tableRows } from '../../../schema-review/column-roles.ts';
import { formatCount, quoteIdent } from '../../../format/format.ts';
import { plainNames, withSuffix } from '../../../sql/quote.ts';

const KEY_TYPES = new Set(['integer', 'bigint', 'smallint', 'uuid', 'text', 'character varying']);

/** The table a *_id column names: user_id → users / user, category_id → categories. */
export function referencedTableFor(tables: readonly Table[], schema: string, column: string): Table | undefined {
  const m = /^(.+)_id$/.exec(column);
  if (m === null) return undefined;
  const base = m[1] ?? '';
  const candidates = [plural(base), base, base.split('_').pop() ?? base, plural(base.split('_').pop() ?? base)];
  for (const name of candidates) {
    const t = tables.find((x) => x.schema === schema && x.name === name);
    if (t !== undefined) return t;
  }
  return undefined;
}

export const schemaMissingForeignKey = defineAnalyzer({
  id: 'schema-missing-foreign-key',
  phase: 'optimize',
  title: 'Columns that name another table but have no foreign key',
  description: 'x_id columns whose name points at a table with a matching primary key, without a FOREIGN KEY: orphans accumulate silently. The schema command counts orphans on the live data.',
  depth: 3,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      if (t.kind !== 'table' || t.isPartition) continue;
      for (const c of t.columns) {
        const parent = referencedTableFor(snapshot.tables, t.schema, c.name);
        if (parent === undefined || parent.qualifiedName === t.qualifiedName) continue;
        if (snapshot.constraints.some((k) => k.table === t.qualifiedName && k.type === 'foreign' && k.columns.includes(c.name))) continue;
        const pk = snapshot.constraints.find((k) => k.table === parent.qualifiedName && k.type === 'primary' && k.columns.length === 1);
        const pkCol = parent.columns.find((x) => x.name === pk?.columns[0]);
        if (pk === undefined || pkCol === undefined) continue;
        const base = (s: string): string => s.replace(/\(.*\)$/, '');
        if (!KEY_TYPES.has(base(c.type)) || base(c.type) !== base(pkCol.type)) {
          if (!(['integer', 'bigint', 'smallint'].includes(base(c.type)) && ['integer', 'bigint', 'smallint'].includes(base(pkCol.type)))) continue;
        }
        const name = withSuffix(`${t.name}_${c.name}`, '_fkey');
        const rows = tableRows(t);
        findings.push({
          rule: 'schema-missing-foreign-key',
          severity: 'warning',
          title: `${t.qualifiedName}.${c.name} looks like a reference to ${parent.qualifiedName} but has no foreign key`,
          target: { kind: 'table', relation: t.qualifiedName, column: c.name },
          evidence: { column: c.name, type: c.type, referencedTable: parent.qualifiedName, referencedColumn: pkCol.name, referencedType: pkCol.type, rows: Math.round(rows), orphans: null, rowsChecked: null },
          impact: { score: 10 + rows / 100_000, summary: `nothing stops ${rows > 0 ? `${formatCount(rows)} rows of ` : ''}${t.qualifiedName} from pointing at deleted or missing ${parent.name}` },
          description: 'Orphans are checked on the live data by the schema command (bounded sample); add the key NOT VALID, fix orphans, then VALIDATE without blocking writes.',
          fix: {
            kind: 'migration',
            content: `ALTER TABLE ${t.qualifiedName} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${quoteIdent(c.name)}) REFERENCES ${parent.qualifiedName} (${quoteIdent(pkCol.name)}) NOT VALID;\nALTER TABLE ${t.qualifiedName} VALIDATE CONSTRAINT ${quoteIdent(name)};${plainNames(t.qualifiedName, c.name, parent.qualifiedName, pkCol.name) ? `\n-- full plan (with the supporting index): db-optimize migrate plan --add-fk ${t.qualifiedName}.${c.name}->${parent.qualifiedName}.${pkCol.name}` : ''}`,
            rollback: `ALTER TABLE ${t.qualifiedName} DROP CONSTRAINT IF EXISTS ${quoteIdent(name)};`,
            lockLevel: 'SHARE ROW EXCLUSIVE (instant with NOT VALID), then SHARE UPDATE EXCLUSIVE to validate',
            safety: 'review',
            verified: false,
            verification: 'inferred from names and types; orphans not counted (no live data)',
            language: 'sql',
          },
        });
      }
    }
    return findings;
  },
});
