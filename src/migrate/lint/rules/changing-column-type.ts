import { binaryCompatible, compatibleSources, BINARY_TARGETS, alterCmds, qn } from './rule-helpers.ts';
import { child, text, typeInfo } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { plainNames, withSuffix } from '../../../sql/quote.ts';

export const changingColumnType: LintRuleModule = {
  meta: {
    id: "changing-column-type",
    level: "critical",
    title: "Changing a column type rewrites the table",
    squawk: ["changing-column-type"],
    strongMigrations: "change_column",
    why: "ALTER COLUMN … TYPE rewrites the table and rebuilds every index under ACCESS EXCLUSIVE unless the change is binary-compatible (varchar(n)→text, a longer varchar, numeric with more precision at the same scale).",
    recipe: "-- expand/contract: add a column of the new type, keep it in sync with a trigger, backfill in batches, swap the names in one short transaction, drop the old column in a later release\n-- db-optimize migrate plan --change-type t.c bigint --db $DATABASE_URL",
  },
  valid: [
    "CREATE TABLE IF NOT EXISTS t (name varchar(50));\nALTER TABLE t ALTER COLUMN name TYPE varchar(100);",
    "CREATE TABLE IF NOT EXISTS t (total numeric(10,2));\nALTER TABLE t ALTER COLUMN total TYPE numeric(14,2);",
    "CREATE TABLE IF NOT EXISTS t (email varchar(255));\nALTER TABLE t ALTER COLUMN email TYPE text;",
    "CREATE TABLE IF NOT EXISTS t (net cidr);\nALTER TABLE t ALTER COLUMN net TYPE inet;",
  ],
  invalid: [
    "ALTER TABLE events ALTER COLUMN id TYPE bigint;",
    "CREATE TABLE IF NOT EXISTS t (name varchar(100));\nALTER TABLE t ALTER COLUMN name TYPE varchar(50);",
    "CREATE TABLE IF NOT EXISTS t (total numeric(10,2));\nALTER TABLE t ALTER COLUMN total TYPE numeric(12,4);",
  ],
  check(ctx) {
    for (const a of alterCmds(ctx)) {
      if (a.sub !== 'AT_AlterColumnType') continue;
      const col = text(a.cmd, 'name') ?? '?';
      const colDef = child(a.def, 'ColumnDef');
      const to = typeInfo(child(colDef, 'typeName'));
      const from = ctx.state.columnTypes.get(`${a.table}.${col}`);
      const using = colDef?.raw_default !== undefined;
      const recipe = [
        '-- expand/contract instead (run with --db so indexes, constraints and defaults are carried):',
        ...(plainNames(a.table, col) && /^[\w ,()]+$/.test(to.display) ? [`-- db-optimize migrate plan --change-type ${a.table}.${col} "${to.display}" --db $DATABASE_URL`] : []),
        `ALTER TABLE ${qn(a.table)} ADD COLUMN IF NOT EXISTS ${qn(withSuffix(col, '_new'))} ${to.display};`,
        `-- keep ${withSuffix(col, '_new')} in sync with a trigger, backfill it in batches, build its indexes CONCURRENTLY, then swap the names in one short transaction`,
      ].join('\n');
      if (!using && from !== undefined && binaryCompatible(from, to)) continue;
      if (!using && from === undefined && BINARY_TARGETS.has(to.name)) {
        // the migration does not say the current type: only a review reminder, not a failure
        ctx.report(`ALTER COLUMN ${col} TYPE ${to.display}: no rewrite if ${col} is currently ${compatibleSources(to)}; a full rewrite of ${a.table} under ACCESS EXCLUSIVE otherwise`, {
          recipe,
          level: 'info',
        });
        continue;
      }
      ctx.report(`ALTER COLUMN ${col} TYPE ${to.display} rewrites ${a.table} and its indexes${from === undefined ? ' unless the change is binary-compatible' : ` (${from.display} → ${to.display} is not binary-compatible)`}`, {
        recipe,
        duration: 'rewrite',
      });
    }
  },
};
