import { clone, constText, funcName, isSimpleSelect, plainFromTables, sqlOf } from '../../ast.ts';
import type { FromTable } from '../../ast.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';

/** oversampling factor: the sample should hold several times n rows so LIMIT n is usually filled */
const OVERSAMPLE = 10;

export const orderByRandom = defineRule({
  id: 'order-by-random',
  title: 'ORDER BY random() LIMIT n → TABLESAMPLE',
  description:
    'ORDER BY random() LIMIT n reads and sorts the whole table to keep n rows. TABLESAMPLE BERNOULLI reads a fraction of it; SYSTEM reads a fraction of its pages. The result is a different random sample by nature, so this is never "verified".',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s) || !Array.isArray(s.sortClause) || s.sortClause.length !== 1) return [];
    if (funcName(s.sortClause[0]?.SortBy?.node) !== 'random') return [];
    const n = Number(constText(s.limitCount));
    if (!Number.isInteger(n) || n <= 0) return [];
    const from = plainFromTables(s);
    if (from === null || from.length !== 1) return [{ kind: 'rejected', rule: this.id, reason: 'TABLESAMPLE is generated for single-table statements only', preconditions: [] }];
    const t = from[0] as FromTable;
    const table = facts?.table(t.schema, t.name);
    // reltuples first: n_live_tup counts inserts not yet settled by ANALYZE
    const rows = (table?.rowEstimate ?? 0) > 0 ? (table?.rowEstimate ?? 0) : (table?.activity?.nLiveTup ?? 0);
    const sizeFact = fact(facts, `${t.name} has about ${Math.round(rows)} rows (pg_class.reltuples), so a ${OVERSAMPLE}×${n}-row sample is a small fraction`, () => rows > n * OVERSAMPLE * 2);
    if (sizeFact.holds === false) {
      return [{ kind: 'rejected', rule: this.id, reason: `${t.name} is small (${Math.round(rows)} rows): sorting it is cheap and a sample would often return fewer than ${n} rows`, preconditions: [sizeFact] }];
    }
    const percent = rows > 0 ? Math.min(100, Math.max(0.01, Math.ceil(((n * OVERSAMPLE) / rows) * 100 * 100) / 100)) : 1;
    const rewritten = clone(s);
    rewritten.fromClause = [
      {
        RangeTableSample: {
          relation: clone(t.node),
          method: [{ String: { sval: 'bernoulli' } }],
          args: [{ A_Const: { fval: { fval: String(percent) } } }],
        },
      },
    ];
    return [
      {
        kind: 'candidate',
        rule: this.id,
        title: `ORDER BY random() LIMIT ${n} sorts all of ${t.name} → sample ${percent} % first`,
        explanation: `The rewrite draws a ${percent} % Bernoulli sample (about ${OVERSAMPLE}× the ${n} rows needed) and shuffles only that. For a cheaper, page-level sample use TABLESAMPLE SYSTEM; for keyed sampling pick random ids: WHERE id >= (SELECT floor(random() * max(id)) FROM ${t.name}) ORDER BY id LIMIT ${n}.`,
        semantics: 'changes-results',
        semanticsNote: `the rows are random in both statements, so there is nothing to compare; the sample can return fewer than ${n} rows when a WHERE condition is selective, and BERNOULLI picks each row independently rather than exactly ${n} of them`,
        severity: 'info',
        after: sqlOf({ SelectStmt: rewritten }),
        preconditions: [sizeFact, statementFact('the caller needs some random rows, not a uniformly shuffled ranking')],
      },
    ];
  },
});
