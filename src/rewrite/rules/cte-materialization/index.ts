import type { Ast } from '../../ast.ts';
import { clone, columnRef, conjuncts, funcName, nodeType, sqlOf, walk } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import { SAFE_VOLATILE_FUNCTIONS } from '../../read-only-check.ts';

const VOLATILE_HINTS = new Set([...SAFE_VOLATILE_FUNCTIONS, 'nextval', 'setval', 'now_volatile', 'txid_current', 'pg_sleep']);

/** References to a CTE by name in the FROM lists of a statement. */
function referencesTo(stmt: Ast, name: string): Ast[] {
  const refs: Ast[] = [];
  walk(stmt, (n) => {
    if (n.RangeVar?.relname === name && n.RangeVar.schemaname === undefined) refs.push(n);
  });
  return refs;
}

export const cteMaterialization = defineRule({
  id: 'cte-materialization',
  title: 'CTE that blocks predicate push-down → NOT MATERIALIZED',
  description:
    'A CTE written AS MATERIALIZED, or referenced more than once, is computed in full before the outer WHERE is applied, so a filter on it cannot reach its indexes. NOT MATERIALIZED (PostgreSQL 12+) lets the planner inline it and push the filter down.',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    const ctes: Ast[] = s?.withClause?.ctes ?? [];
    if (ctes.length === 0 || s.withClause.recursive === true) return [];
    const versionFact = fact(facts, 'PostgreSQL 12 or later (NOT MATERIALIZED exists)', (f) => f.serverVersionNum >= 120000);
    if (versionFact.holds === false) return [{ kind: 'rejected', rule: this.id, reason: 'PostgreSQL before 12 always materializes CTEs: rewrite the CTE as a subquery instead', preconditions: [versionFact] }];
    const rewritten = clone(s);
    const changed: string[] = [];
    for (const [i, cte] of ctes.entries()) {
      const c = cte.CommonTableExpr;
      if (nodeType(c?.ctequery) !== 'SelectStmt' || c.ctematerialized === 'CTEMaterializeNever') continue;
      const refs = referencesTo({ ...s, withClause: undefined }, c.ctename);
      const forced = c.ctematerialized === 'CTEMaterializeAlways';
      if (!forced && refs.length < 2) continue; // inlined by default already
      // only worth it when the outer query filters on the CTE's columns
      const aliases = new Set(refs.map((r) => r.RangeVar.alias?.aliasname ?? c.ctename));
      const filtered = conjuncts(s.whereClause).some((w) => {
        let hit = false;
        walk(w, (n) => {
          const p = columnRef(n);
          if (p !== null && p.length === 2 && aliases.has(p[0] ?? '')) hit = true;
        });
        return hit;
      });
      if (!filtered) continue;
      const q = c.ctequery.SelectStmt;
      if (q.limitCount !== undefined || q.limitOffset !== undefined || q.lockingClause !== undefined) {
        return [{ kind: 'rejected', rule: this.id, reason: `CTE ${c.ctename} has LIMIT/OFFSET or a locking clause: computing it once per reference could pick different rows`, preconditions: [] }];
      }
      let volatile = false;
      walk(c.ctequery, (n) => {
        const f = funcName(n);
        if (f !== null && VOLATILE_HINTS.has(f)) volatile = true;
      });
      if (volatile) {
        return [{ kind: 'rejected', rule: this.id, reason: `CTE ${c.ctename} calls a volatile function: inlining it would evaluate it once per reference`, preconditions: [] }];
      }
      rewritten.withClause.ctes[i].CommonTableExpr.ctematerialized = 'CTEMaterializeNever';
      changed.push(`${c.ctename}${forced ? ' (AS MATERIALIZED)' : ` (referenced ${refs.length}×)`}`);
    }
    if (changed.length === 0) return [];
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `CTE ${changed.join(', ')} is computed in full before the outer filter → NOT MATERIALIZED`,
        explanation: 'A materialized CTE is an optimization fence: the outer WHERE is applied to its complete result. NOT MATERIALIZED lets the planner inline it and push the filter into it (each reference is then computed separately).',
        semantics: 'equivalent',
        severity: 'info',
        after: sqlOf({ SelectStmt: rewritten }),
        preconditions: [versionFact, statementFact('the CTE is a SELECT without volatile functions, so computing it per reference gives the same rows')],
      },
    ];
  },
});
