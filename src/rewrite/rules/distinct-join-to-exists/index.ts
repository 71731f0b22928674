import type { Ast, FromTable } from '../../ast.ts';
import { andOf, clone, columnRef, conjuncts, fromTable, hasAggregateOrWindow, isSimpleSelect, isStar, mkInt, refsTo, sqlOf, walk } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import { coversUniqueKey } from '../../schema-facts.ts';

/** FROM a JOIN b ON … (inner) or FROM a, b: the two tables and the join conditions. */
function twoTables(s: Ast): { a: FromTable; b: FromTable; quals: Ast[] } | null {
  const from = s.fromClause;
  if (!Array.isArray(from)) return null;
  if (from.length === 1 && from[0]?.JoinExpr !== undefined) {
    const j = from[0].JoinExpr;
    if (j.jointype !== 'JOIN_INNER' || j.usingClause !== undefined || j.isNatural === true) return null;
    const a = fromTable(j.larg);
    const b = fromTable(j.rarg);
    return a === null || b === null ? null : { a, b, quals: conjuncts(j.quals) };
  }
  if (from.length === 2) {
    const a = fromTable(from[0]);
    const b = fromTable(from[1]);
    return a === null || b === null ? null : { a, b, quals: [] };
  }
  return null;
}

export const distinctJoinToExists = defineRule({
  id: 'distinct-join-to-exists',
  title: 'DISTINCT that only undoes join duplication → EXISTS',
  description:
    'SELECT DISTINCT a.… FROM a JOIN b … multiplies a\'s rows by their matches in b, then sorts or hashes them all to remove the copies. When only a\'s columns are selected and they include a unique key of a, "a WHERE EXISTS (matching b)" returns the same rows without producing the copies.',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s) || !Array.isArray(s.distinctClause) || s.distinctClause.some((d: Ast) => Object.keys(d ?? {}).length > 0) || hasAggregateOrWindow(s)) return [];
    const tt = twoTables(s);
    if (tt === null) return [];
    // the kept table is the one every output column comes from
    for (const [keep, drop] of [[tt.a, tt.b], [tt.b, tt.a]] as const) {
      const selected = new Set<string>();
      let onlyKeep = true;
      let star = false;
      for (const t of s.targetList ?? []) {
        const v = t.ResTarget?.val;
        if (isStar(v)) {
          const f = v.ColumnRef.fields;
          if (f.length === 2 && f[0]?.String?.sval === keep.ref) star = true;
          else onlyKeep = false;
          continue;
        }
        const parts = columnRef(v);
        if (parts === null || parts.length !== 2 || parts[0] !== keep.ref) onlyKeep = false;
        else selected.add(parts[1] as string);
      }
      for (const sort of s.sortClause ?? []) if (refsTo(sort, new Set([drop.ref])).length > 0) onlyKeep = false;
      if (!onlyKeep) continue;
      const table = facts?.table(keep.schema, keep.name);
      const keyFact = fact(facts, `the selected columns of ${keep.name} include a unique key, so DISTINCT removes only the copies the join made`, (f) =>
        table !== undefined && (star ? f.uniqueKeys(table).length > 0 : coversUniqueKey(f, table, selected) !== null),
      );
      if (keyFact.holds === false) {
        return [{ kind: 'rejected', rule: this.id, reason: `the selected columns of ${keep.name} (${star ? '*' : [...selected].join(', ')}) are not unique: DISTINCT also removes rows that are duplicates within ${keep.name}, which EXISTS would keep`, preconditions: [keyFact] }];
      }
      const all = [...tt.quals, ...conjuncts(s.whereClause)];
      const dropRefs = new Set([drop.ref]);
      const keepWhere = all.filter((c) => refsTo(c, dropRefs).length === 0 && !unqualified(c));
      const dropWhere = all.filter((c) => !keepWhere.includes(c));
      const rewritten = clone(s);
      delete rewritten.distinctClause;
      rewritten.fromClause = [clone(keep.node)];
      const exists: Ast = {
        SubLink: {
          subLinkType: 'EXISTS_SUBLINK',
          subselect: { SelectStmt: { targetList: [{ ResTarget: { val: mkInt(1) } }], fromClause: [clone(drop.node)], whereClause: andOf(dropWhere.map(clone)), limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } },
        },
      };
      rewritten.whereClause = andOf([...keepWhere.map(clone), exists]);
      return [
        {
          kind: 'candidate',
          rule: this.id,
          title: `DISTINCT over ${keep.name} ⨝ ${drop.name} → ${keep.name} WHERE EXISTS (${drop.name})`,
          explanation: `The join produces one copy of each ${keep.name} row per matching ${drop.name} row and DISTINCT removes them again; EXISTS never produces them.`,
          semantics: 'equivalent',
          severity: 'info',
          after: sqlOf({ SelectStmt: rewritten }),
          preconditions: [keyFact, statementFact(`only columns of ${keep.name} are selected and ordered by`)],
        },
      ];
    }
    return [];
  },
});

function unqualified(node: Ast): boolean {
  let found = false;
  walk(node, (n) => {
    const p = columnRef(n);
    if (p !== null && p.length === 1) found = true;
  });
  return found;
}
