import { alterCmds, addedColumns, qn, bareName } from './rule-helpers.ts';
import { child, strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { serverDefaultName } from '../../../sql/quote.ts';

export const addingSerialPrimaryKeyField: LintRuleModule = {
  meta: {
    id: "adding-serial-primary-key-field",
    level: "critical",
    title: "Primary key added by building its index under ACCESS EXCLUSIVE",
    squawk: ["adding-serial-primary-key-field"],
    strongMigrations: "add_primary_key",
    why: "ADD PRIMARY KEY (or a serial PRIMARY KEY column) builds a unique index and checks NOT NULL while holding ACCESS EXCLUSIVE: the table is unreadable until the index is built.",
    recipe: "-- build the unique index concurrently, then attach it:\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_pkey ON t (id);\nALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey;",
  },
  valid: [
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS events_pkey ON events (id);\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;",
  ],
  invalid: [
    "ALTER TABLE events ADD PRIMARY KEY (id);",
    "ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;",
  ],
  check(ctx) {
    for (const c of addedColumns(ctx)) {
      if (c.has('CONSTR_PRIMARY') === undefined) continue;
      ctx.report(`ADD COLUMN ${c.name} … PRIMARY KEY builds a unique index on ${c.table} under ACCESS EXCLUSIVE`, { duration: 'rewrite' });
    }
    for (const a of alterCmds(ctx)) {
      const con = child(a.def, 'Constraint');
      if (a.sub !== 'AT_AddConstraint' || text(con, 'contype') !== 'CONSTR_PRIMARY' || text(con, 'indexname') !== undefined) continue;
      const name = qn(text(con, 'conname') ?? serverDefaultName(bareName(a.table), null, 'pkey'));
      const keys = strings(con?.keys).map(qn).join(', ');
      ctx.report(`PRIMARY KEY on ${a.table} builds its index under ACCESS EXCLUSIVE`, {
        duration: 'scan',
        recipe: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${qn(a.table)} (${keys}); -- outside a transaction\nALTER TABLE ${qn(a.table)} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name}; -- scans only for NOT NULL unless the columns are NOT NULL already`,
      });
    }
  },
};
