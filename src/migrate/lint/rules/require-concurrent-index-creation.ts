import { child, list, rangeVarName, text } from '../../pg-ast.ts';
import { deparseStatement, qn, bareName, isConcurrent } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';
import { serverDefaultName } from '../../../sql/quote.ts';

export const requireConcurrentIndexCreation: LintRuleModule = {
  meta: {
    id: "require-concurrent-index-creation",
    level: "warning",
    title: "CREATE INDEX without CONCURRENTLY blocks writes",
    squawk: ["require-concurrent-index-creation"],
    strongMigrations: "add_index",
    why: "CREATE INDEX holds SHARE on the table for the whole build: every INSERT, UPDATE and DELETE waits.",
    recipe: "-- outside a transaction; check pg_index.indisvalid afterwards and drop/retry an invalid one\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_c_idx ON t (c);",
  },
  valid: [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);",
    "CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);",
  ],
  invalid: [
    "CREATE INDEX users_email_idx ON users (email);",
  ],
  check(ctx) {
    const n = ctx.node;
    if (ctx.kind !== 'IndexStmt' || isConcurrent(n)) return;
    const table = rangeVarName(n.relation);
    if (!ctx.existing(table)) return;
    const name = text(n, 'idxname') ?? serverDefaultName(bareName(table), list(n.indexParams).map((p) => text(child(p, 'IndexElem'), 'name') ?? 'expr').join('_'), 'idx');
    const safe = deparseStatement({ IndexStmt: { ...n, concurrent: true, if_not_exists: true, idxname: name } });
    ctx.report(`CREATE INDEX ${text(n, 'idxname') ?? ''} on ${table} blocks writes for the whole build`, {
      recipe: `-- in its own migration, outside a transaction:\nSET lock_timeout = '1s';\n${safe};\n-- if it fails it leaves an INVALID index: DROP INDEX CONCURRENTLY IF EXISTS ${qn(name)}; then retry`,
    });
  },
};
