import type { Ast } from '../../ast.ts';
import { clone, isSimpleSelect, isStar, mkColumnRef, plainFromTables, sqlOf } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';

export const selectStarColumns = defineRule({
  id: 'select-star-columns',
  title: 'SELECT * → the columns the caller reads',
  description:
    'SELECT * ships every column — wide text, jsonb, TOASTed values — to a caller that reads a few, and rules out index-only scans. When the caller\'s use is known (--uses), the statement lists those columns.',
  apply({ stmt, facts, options }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s)) return [];
    const targets: Ast[] = s.targetList ?? [];
    if (targets.length !== 1 || !isStar(targets[0]?.ResTarget?.val)) return [];
    const from = plainFromTables(s);
    if (options.uses === undefined || options.uses.length === 0) {
      return [{ kind: 'rejected', rule: this.id, reason: 'SELECT * — the caller\'s use is unknown: pass --uses col,col to get the statement with only those columns', preconditions: [] }];
    }
    const uses = options.uses;
    const tables = (from ?? []).map((t) => ({ t, table: facts?.table(t.schema, t.name) }));
    const existsFact = fact(facts, `the used columns (${uses.join(', ')}) exist in ${tables.map((x) => x.t.name).join(', ') || 'the FROM list'}`, (f) =>
      from !== null && uses.every((u) => tables.some(({ table }) => table !== undefined && f.column(table, u.split('.').pop() ?? u) !== undefined)),
    );
    const rewritten = clone(s);
    rewritten.targetList = uses.map((u) => ({ ResTarget: { val: mkColumnRef(u.split('.')) } }));
    const projected = { SelectStmt: { targetList: uses.map((u) => ({ ResTarget: { val: mkColumnRef([u.split('.').pop() ?? u]) } })), fromClause: [{ RangeSubselect: { subquery: { SelectStmt: clone(s) }, alias: { aliasname: 'dbo_original' } } }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } };
    const cols = uses.map((u) => u.split('.').pop() ?? u);
    const model = from?.[0]?.name ?? 'table';
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `SELECT * → ${uses.length} column${uses.length === 1 ? '' : 's'} the caller reads`,
        explanation: `Only ${uses.join(', ')} are read by the caller; the other columns are fetched, detoasted and sent for nothing, and an index-only scan is impossible with *.`,
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf({ SelectStmt: rewritten }),
        compareOriginal: sqlOf(projected),
        benefit: 'width',
        preconditions: [existsFact, statementFact(`the caller reads only ${uses.join(', ')} (given with --uses)`)],
        codeHints: [
          `SQLAlchemy: .options(load_only(${cols.map((c) => `${model}.${c}`).join(', ')}))`,
          `Django: .only(${cols.map((c) => `'${c}'`).join(', ')})`,
          `Prisma: select: { ${cols.map((c) => `${c}: true`).join(', ')} }`,
          `ActiveRecord: .select(${cols.map((c) => `:${c}`).join(', ')})`,
        ],
      },
    ];
  },
});
