import { conjuncts, constText, isSimpleSelect, plainFromTables } from '../../ast.ts';
import { quoteIdent } from '../../../format/format.ts';
import { deriveIdentifier } from '../../../sql/quote.ts';
import { resolveColumn } from '../../resolve.ts';
import { defineRule, fact, statementFact } from '../../rule.ts';
import type { RuleOutcome } from '../../rule.ts';

export const leadingWildcardLike = defineRule({
  id: 'leading-wildcard-like',
  title: "LIKE '%…' → trigram index proposal",
  description: "A pattern that starts with % or _ cannot use a btree index, so every row is read. A pg_trgm GIN index answers LIKE/ILIKE '%term%' from the trigrams of the term.",
  apply({ stmt, facts }) {
    const s = stmt.SelectStmt;
    if (!isSimpleSelect(s)) return [];
    const from = plainFromTables(s);
    if (from === null) return [];
    const out: RuleOutcome[] = [];
    for (const c of conjuncts(s.whereClause)) {
      const e = c?.A_Expr;
      if (e === undefined || (e.kind !== 'AEXPR_LIKE' && e.kind !== 'AEXPR_ILIKE')) continue;
      const op = e.name?.[0]?.String?.sval;
      if (op !== '~~' && op !== '~~*') continue;
      const pattern = constText(e.rexpr);
      if (typeof pattern !== 'string' || !/^[%_]/.test(pattern)) continue;
      const col = resolveColumn(e.lexpr, from, facts);
      if (col === null) continue;
      const literal = pattern.replace(/[%_]/g, '');
      const table = col.catalog;
      if (literal.length < 3) {
        out.push({ kind: 'rejected', rule: this.id, reason: `pattern '${pattern}' has fewer than 3 literal characters: a trigram index cannot narrow it down`, preconditions: [] });
        continue;
      }
      const trgm = table === undefined || facts === null ? [] : facts.indexes(table).filter((i) => (i.method === 'gin' || i.method === 'gist') && i.columns.some((x) => x.name.replace(/"/g, '') === col.column && /trgm/.test(x.opclass ?? '')));
      if (trgm.length > 0) {
        out.push({ kind: 'rejected', rule: this.id, reason: `${col.table.name}.${col.column} already has a trigram index (${trgm.map((i) => i.name).join(', ')})`, preconditions: [] });
        continue;
      }
      const tableName = table?.qualifiedName ?? col.table.name;
      const name = deriveIdentifier([col.table.name, col.column], 'trgm_idx');
      const extFact = fact(facts, 'pg_trgm is installed (else CREATE EXTENSION pg_trgm first)', (f) => f.hasExtension('pg_trgm'));
      out.push({
        kind: 'candidate',
        rule: this.id,
        title: `${e.kind === 'AEXPR_ILIKE' ? 'ILIKE' : 'LIKE'} '${pattern}' on ${col.table.name}.${col.column} scans every row → trigram index`,
        explanation: `A leading wildcard rules out btree indexes. A GIN index with gin_trgm_ops serves LIKE and ILIKE with any wildcard position${literal.length < 4 ? ', though short terms match many trigrams' : ''}; it costs write time and space, so weigh it against how often this runs.`,
        semantics: 'index-proposal',
        severity: 'info',
        after: null,
        proposal: `${extFact.holds === true ? '' : 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\n'}CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${tableName} USING gin (${quoteIdent(col.column)} gin_trgm_ops);`,
        preconditions: [{ ...extFact, holds: extFact.holds === null ? null : true, fact: extFact.holds === false ? 'pg_trgm is not installed yet: the proposal creates it' : extFact.fact }, statementFact(`the pattern '${pattern}' starts with a wildcard`)],
      });
    }
    return out;
  },
});
