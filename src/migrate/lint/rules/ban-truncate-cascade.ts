import { child, list, rangeVarName, text } from '../../pg-ast.ts';
import { qn } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const banTruncateCascade: LintRuleModule = {
  meta: {
    id: "ban-truncate-cascade",
    level: "critical",
    title: "TRUNCATE … CASCADE",
    squawk: ["ban-truncate-cascade"],
    why: "CASCADE truncates every table that references this one, recursively, under ACCESS EXCLUSIVE: far more data than intended can vanish.",
    recipe: "-- truncate the tables explicitly by name, or delete in batches",
  },
  valid: [
    "TRUNCATE staging_rows;",
  ],
  invalid: [
    "TRUNCATE users CASCADE;",
  ],
  check(ctx) {
    if (ctx.kind !== 'TruncateStmt' || text(ctx.node, 'behavior') !== 'DROP_CASCADE') return;
    const rels = list(ctx.node.relations).map((r) => rangeVarName(child(r, 'RangeVar')));
    ctx.report(`TRUNCATE ${rels.join(', ')} CASCADE also empties every table that references them`, {
      recipe: `-- name every table to empty (pg_constraint lists the referencing ones), or delete in batches:\nTRUNCATE ${rels.map(qn).join(', ')};`,
    });
  },
};
