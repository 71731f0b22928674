import { addedColumns, deparseExpression, qn, bareName } from './rule-helpers.ts';
import { text, classifyDefault } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { serverDefaultName } from '../../../sql/quote.ts';

export const addingFieldWithDefault: LintRuleModule = {
  meta: {
    id: "adding-field-with-default",
    level: "critical",
    title: "ADD COLUMN with a default that rewrites the table",
    squawk: ["adding-field-with-default"],
    strongMigrations: "add_column_default / add_column_default_callable",
    why: "A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval) — and before PostgreSQL 11 any default — is computed per row, so ADD COLUMN rewrites the whole table and its indexes under ACCESS EXCLUSIVE: no reads or writes until it finishes. Stored generated and identity columns rewrite the same way.",
    recipe: "-- add the column without the default (metadata only), set the default for new rows, then backfill in batches:\nALTER TABLE t ADD COLUMN IF NOT EXISTS c uuid;\nALTER TABLE t ALTER COLUMN c SET DEFAULT gen_random_uuid();\n-- UPDATE t SET c = gen_random_uuid() WHERE c IS NULL AND id >= $1 AND id < $2; -- one transaction per batch",
  },
  valid: [
    "ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';",
    "ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();",
    "ALTER TABLE order_items ADD COLUMN line_total numeric GENERATED ALWAYS AS (quantity * unit_price) VIRTUAL;",
    "CREATE TABLE t (id bigint PRIMARY KEY);\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();",
  ],
  invalid: [
    "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
    "ALTER TABLE events ADD COLUMN seq bigserial;",
    "ALTER TABLE events ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;",
    "ALTER TABLE order_items ADD COLUMN line_total numeric GENERATED ALWAYS AS (quantity * unit_price) STORED;",
    "ALTER TABLE users ADD COLUMN score int DEFAULT compute_score();",
  ],
  check(ctx) {
    for (const c of addedColumns(ctx)) {
      const t = qn(c.table);
      const col = qn(c.name);
      const def = c.has('CONSTR_DEFAULT');
      const dk = classifyDefault(def?.raw_expr);
      const defSql = def === undefined ? '' : deparseExpression(def.raw_expr);
      const split = [
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${col} ${c.type.display};`,
        `ALTER TABLE ${t} ALTER COLUMN ${col} SET DEFAULT ${defSql};`,
        '-- then backfill existing rows in batches (one transaction each) and add NOT NULL with CHECK … NOT VALID + VALIDATE; the whole plan:',
        `-- db-optimize migrate plan --add-column ${c.table}.${c.name} "${c.type.display}${c.has('CONSTR_NOTNULL') === undefined ? '' : ' NOT NULL'} DEFAULT ${defSql.replace(/"/g, '\\"')}"`,
      ].join('\n');
      if (dk === 'volatile') ctx.report(`ADD COLUMN ${c.name} has a volatile default: every row of ${c.table} is rewritten under ACCESS EXCLUSIVE`, { recipe: split, duration: 'rewrite' });
      else if (dk === 'unknown-function') {
        ctx.report(`ADD COLUMN ${c.name} calls a function in its default; unless it is STABLE or IMMUTABLE (check pg_proc.provolatile) ${c.table} is rewritten`, { recipe: split, duration: 'rewrite' });
      } else if (dk !== 'none' && ctx.pg < 11) {
        ctx.report(`ADD COLUMN ${c.name} with a default rewrites ${c.table} on PostgreSQL ${ctx.pg} (only 11+ stores constant defaults in the catalog)`, { recipe: split, duration: 'rewrite' });
      }
      const serial = ['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'].includes(c.type.name);
      if (serial || c.has('CONSTR_IDENTITY') !== undefined) {
        const seq = qn(serverDefaultName(bareName(c.table), c.name, 'seq'));
        const type = c.type.name.startsWith('small') ? 'smallint' : c.type.name === 'serial' || c.type.name === 'serial4' ? 'integer' : c.type.name.includes('serial') ? 'bigint' : c.type.display;
        ctx.report(`ADD COLUMN ${c.name} ${serial ? c.type.name : 'GENERATED AS IDENTITY'} fills every existing row from a sequence: ${c.table} is rewritten`, {
          duration: 'rewrite',
          recipe: [
            '-- a plain column with a sequence default is metadata only; existing rows are numbered by a batched backfill',
            `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${col} ${type};`,
            `CREATE SEQUENCE IF NOT EXISTS ${seq} OWNED BY ${t}.${col};`,
            `ALTER TABLE ${t} ALTER COLUMN ${col} SET DEFAULT nextval('${seq.replace(/'/g, "''")}');`,
            `-- backfill in batches: UPDATE ${t} SET ${col} = nextval('${seq.replace(/'/g, "''")}') WHERE ${col} IS NULL AND <key range>; then NOT NULL via CHECK … NOT VALID + VALIDATE`,
          ].join('\n'),
        });
      }
      const generated = c.has('CONSTR_GENERATED');
      // PostgreSQL 18 VIRTUAL generated columns (the 18 default) are computed on read: no rewrite
      if (generated !== undefined && text(generated, 'generated_kind') !== 'v') {
        const expr = deparseExpression(generated.raw_expr);
        ctx.report(`ADD COLUMN ${c.name} GENERATED … STORED computes every existing row: ${c.table} is rewritten`, {
          duration: 'rewrite',
          recipe:
            ctx.pg >= 18
              ? `-- PostgreSQL 18: a VIRTUAL generated column is computed on read and does not rewrite the table\nALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${col} ${c.type.display} GENERATED ALWAYS AS (${expr}) VIRTUAL;`
              : `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${col} ${c.type.display};\n-- fill it from (${expr}) with a BEFORE INSERT OR UPDATE trigger and a batched backfill (PostgreSQL 18 can add it VIRTUAL instead)`,
        });
      }
    }
  },
};
