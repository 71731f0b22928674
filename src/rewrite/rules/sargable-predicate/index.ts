import type { Ast, FromTable } from '../../ast.ts';
import { andOf, clone, columnRef, conjuncts, constText, funcName, isSimpleSelect, mkOp, opName, plainFromTables, sqlOf } from '../../ast.ts';
import { quoteIdent } from '../../../format/format.ts';
import { deriveIdentifier } from '../../../sql/quote.ts';
import { resolveColumn } from '../../resolve.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import type { RuleOutcome } from '../../rule.ts';
import type { SchemaFacts } from '../../schema-facts.ts';
import { leadingIndexColumns } from '../../schema-facts.ts';

const UNITS = new Set(['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']);
const TIME_TYPES: Record<string, string> = { 'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp', timestamptz: 'timestamptz', timestamp: 'timestamp' };

function typeCast(arg: Ast, type: string): Ast {
  return { TypeCast: { arg, typeName: { names: [{ String: { sval: type } }], typemod: -1 } } };
}

function interval(text: string): Ast {
  return { TypeCast: { arg: { A_Const: { sval: { sval: text } } }, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'interval' } }], typemod: -1 } } };
}

interface Wrapped {
  readonly kind: 'date_trunc' | 'date-cast' | 'other';
  readonly column: Ast;
  readonly wrapper: string;
  readonly unit?: string;
}

/** A function or cast around a single column: date_trunc('day', c), c::date, lower(c), c::numeric. */
function wrappedColumn(node: Ast): Wrapped | null {
  const f = funcName(node);
  if (f !== null) {
    const args: Ast[] = node.FuncCall.args ?? [];
    if (f === 'date_trunc' && args.length === 2 && columnRef(args[1]) !== null) {
      const unit = constText(args[0]);
      if (typeof unit === 'string' && UNITS.has(unit.toLowerCase())) return { kind: 'date_trunc', column: args[1], wrapper: sqlOf(node), unit: unit.toLowerCase() };
    }
    if (args.length >= 1 && columnRef(args[0]) !== null && args.slice(1).every((a) => constText(a) !== undefined)) return { kind: 'other', column: args[0], wrapper: sqlOf(node) };
    return null;
  }
  const cast = node?.TypeCast;
  if (cast !== undefined && columnRef(cast.arg) !== null) {
    const type = cast.typeName?.names?.at(-1)?.String?.sval;
    return { kind: type === 'date' ? 'date-cast' : 'other', column: cast.arg, wrapper: sqlOf(node) };
  }
  return null;
}

const INTEGER_TYPES = new Set(['integer', 'bigint', 'smallint']);

/**
 * int_col op 10.0 / 1.5: the decimal literal is numeric, so PostgreSQL casts the column to numeric
 * (an implicit cast) and its btree index no longer applies. The same condition with an integer
 * constant (floor/ceil as the operator needs) selects exactly the same integers.
 */
function implicitNumericCast(c: Ast, op: string, from: readonly FromTable[], facts: SchemaFacts | null, rule: string, all: readonly Ast[], s: Ast): RuleOutcome | null {
  const e = c.A_Expr;
  const literal = e.rexpr?.A_Const?.fval?.fval;
  if (columnRef(e.lexpr) === null || typeof literal !== 'string') return null;
  const n = Number(literal);
  if (!Number.isFinite(n)) return null;
  const col = resolveColumn(e.lexpr, from, facts);
  if (col === null) return null;
  const table = col.catalog;
  const colType = table === undefined || facts === null ? undefined : facts.column(table, col.column)?.type;
  const typeFact = fact(facts, `${col.table.name}.${col.column} is an integer column (${colType ?? 'type unknown'})`, () => colType !== undefined && INTEGER_TYPES.has(colType));
  const indexedFact = fact(facts, `${col.table.name}.${col.column} leads a btree index`, (f) => table !== undefined && leadingIndexColumns(f, table).has(col.column));
  if (typeFact.holds === false || indexedFact.holds === false) return null;
  let replacement: { op: string; value: number } | 'never';
  if (Number.isInteger(n)) replacement = { op, value: n };
  else if (op === '=') replacement = 'never';
  else if (op === '>' || op === '<=') replacement = { op, value: Math.floor(n) };
  else replacement = { op, value: Math.ceil(n) };
  if (replacement === 'never' || Math.abs(replacement.value) >= 2 ** 31) return null;
  const rewritten = clone(s);
  const newCond = mkOp(replacement.op, clone(e.lexpr), { A_Const: { ival: replacement.value === 0 ? {} : { ival: replacement.value } } });
  rewritten.whereClause = andOf(all.map((x) => (x === c ? newCond : clone(x))));
  return {
    kind: 'candidate',
    rule,
    title: `${col.column} ${op} ${literal} casts the integer column to numeric → ${col.column} ${replacement.op} ${replacement.value}`,
    explanation: `${literal} is a numeric literal, so PostgreSQL compares ${col.column}::numeric and cannot use the index on ${col.column}. For integers, ${col.column} ${op} ${literal} selects exactly the rows ${col.column} ${replacement.op} ${replacement.value} does.`,
    semantics: 'equivalent',
    severity: 'info',
    after: sqlOf({ SelectStmt: rewritten }),
    preconditions: [typeFact, indexedFact, statementFact(`for integers, ${op} ${literal} and ${replacement.op} ${replacement.value} select the same values`)],
  };
}

export const sargablePredicate = defineRule({
  id: 'sargable-predicate',
  title: 'Function or cast on an indexed column → sargable range, or an expression index',
  description:
    'date_trunc(\'day\', created_at) = X or created_at::date = X cannot use the index on created_at; the range created_at >= X AND created_at < X + 1 day can. Other wrappers (lower(email), amount::numeric) need an index on the expression itself.',
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s)) return [];
    const from = plainFromTables(s);
    if (from === null) return [];
    const out: RuleOutcome[] = [];
    const all = conjuncts(s.whereClause);
    for (const c of all) {
      const op = opName(c);
      if (op === null || !['=', '<', '>', '<=', '>='].includes(op)) continue;
      const e = c.A_Expr;
      const implicit = implicitNumericCast(c, op, from, facts, this.id, all, s);
      if (implicit !== null) {
        out.push(implicit);
        continue;
      }
      const w = wrappedColumn(e.lexpr);
      const value = e.rexpr;
      if (w === null || !(constText(value) !== undefined || value?.ParamRef !== undefined)) continue;
      const col = resolveColumn(w.column, from, facts);
      if (col === null) continue;
      const table = col.catalog;
      const colType = table === undefined || facts === null ? undefined : facts.column(table, col.column)?.type;
      const indexedFact = fact(facts, `${col.table.name}.${col.column} leads a btree index`, (f) => table !== undefined && leadingIndexColumns(f, table).has(col.column));
      const qualified = clone(w.column);
      if ((w.kind === 'date_trunc' || w.kind === 'date-cast') && op === '=') {
        const typeFact = fact(facts, `${col.table.name}.${col.column} is a timestamp column (${colType ?? 'type unknown'})`, () => colType !== undefined && TIME_TYPES[colType] !== undefined);
        if (typeFact.holds === false) continue;
        if (indexedFact.holds === false) {
          out.push({ kind: 'rejected', rule: this.id, reason: `${w.wrapper}: ${col.table.name}.${col.column} has no index, so a range would not be faster (an index on ${col.column} would make it so)`, preconditions: [indexedFact] });
          continue;
        }
        const type = (colType === undefined ? undefined : TIME_TYPES[colType]) ?? 'timestamptz';
        const low = w.kind === 'date_trunc' ? typeCast(clone(value), type) : typeCast(clone(value), 'date');
        const high =
          w.kind === 'date_trunc'
            ? { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '+' } }], lexpr: typeCast(clone(value), type), rexpr: interval(w.unit === 'quarter' ? '3 months' : `1 ${w.unit ?? 'day'}`) } }
            : { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '+' } }], lexpr: typeCast(clone(value), 'date'), rexpr: { A_Const: { ival: { ival: 1 } } } } };
        const rewritten = clone(s);
        // the original predicate stays as a filter: the range is implied by it, so adding it cannot change the rows
        rewritten.whereClause = andOf(all.flatMap((x) => (x === c ? [mkOp('>=', clone(qualified), low), mkOp('<', clone(qualified), high), clone(x)] : [clone(x)])));
        out.push({
          kind: 'candidate',
          rule: this.id,
          title: `${w.wrapper} = … → range on ${col.column} that the index can use`,
          explanation: `An index on ${col.column} cannot serve ${w.wrapper}; the implied range ${col.column} >= X AND ${col.column} < X + 1 ${w.kind === 'date_trunc' ? w.unit : 'day'} can, and the original condition stays as a cheap recheck so the rows are the same for any X.`,
          semantics: 'equivalent',
          severity: 'info',
          after: sqlOf({ SelectStmt: rewritten }),
          preconditions: [indexedFact, typeFact, statementFact(`${w.wrapper} = X implies X <= ${col.column} < X + 1 ${w.kind === 'date_trunc' ? w.unit : 'day'} (session time zone for both)`)],
        });
        continue;
      }
      // any other wrapper: propose an index on the expression, unless one exists
      const expr = w.wrapper.replace(new RegExp(`\\b${col.table.ref}\\.`, 'g'), '');
      const existing = table === undefined || facts === null ? [] : facts.indexes(table).filter((i) => i.columns.some((x) => x.isExpression && x.name.replace(/[\s()"]/g, '').includes(expr.replace(/[\s()"]/g, '').replace(/::\w+$/, ''))));
      if (existing.length > 0) {
        out.push({ kind: 'rejected', rule: this.id, reason: `${w.wrapper}: an expression index already exists (${existing.map((i) => i.name).join(', ')})`, preconditions: [] });
        continue;
      }
      const tableName = table?.qualifiedName ?? (col.table.schema === null ? col.table.name : `${col.table.schema}.${col.table.name}`);
      const name = deriveIdentifier([col.table.name, funcName(e.lexpr) ?? 'cast', col.column], 'idx');
      out.push({
        kind: 'candidate',
        rule: this.id,
        title: `${w.wrapper} hides ${col.column} from its index → expression index`,
        explanation: `No range is equivalent to ${w.wrapper} ${op} …, so the statement stays and an index on the expression lets PostgreSQL search it. ${w.kind === 'other' && e.lexpr?.TypeCast !== undefined ? 'A cast on the column often means the column has the wrong type; fixing the type is the lasting cure.' : ''}`.trim(),
        semantics: 'index-proposal',
        severity: 'info',
        after: null,
        proposal: `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${tableName} ((${expr}));`,
        preconditions: [statementFact(`the condition ${sqlOf(c)} compares the expression with a constant or parameter`)],
      });
    }
    return out;
  },
});
