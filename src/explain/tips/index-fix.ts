import type { Fix } from '../../model/index.ts';
import { quoteIdent } from '../../format/format.ts';
import { deriveIdentifier } from '../../sql/quote.ts';

export interface IndexCandidate {
  /** plain CREATE INDEX, as the what-if engine models it */
  readonly definition: string;
  readonly name: string;
  readonly fix: Fix;
}

function qualified(relation: string): string {
  return relation
    .split('.')
    .map((p) => quoteIdent(p))
    .join('.');
}

/** A btree candidate on relation(columns) [INCLUDE (...)], with its CONCURRENTLY migration and rollback. */
export function indexCandidate(relation: string, columns: readonly string[], include: readonly string[] = [], expression = false): IndexCandidate {
  const table = relation.split('.').pop() ?? relation;
  const name = deriveIdentifier([table, ...columns, ...(include.length > 0 ? ['incl'] : [])], 'idx');
  const cols = columns.map((c) => (expression ? `(${c})` : quoteIdent(c))).join(', ');
  const inc = include.length > 0 ? ` INCLUDE (${include.map((c) => quoteIdent(c)).join(', ')})` : '';
  const schema = relation.includes('.') ? `${qualified(relation.split('.').slice(0, -1).join('.'))}.` : '';
  return {
    definition: `CREATE INDEX ON ${qualified(relation)} (${cols})${inc}`,
    name,
    fix: {
      kind: 'sql',
      // two lines so the statement stays readable (and copyable) in an 80-column report
      content: `CREATE INDEX CONCURRENTLY ${quoteIdent(name)}\n  ON ${qualified(relation)} (${cols})${inc};`,
      rollback: `DROP INDEX CONCURRENTLY ${schema}${quoteIdent(name)};`,
      lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)',
      safety: 'safe',
      verified: false,
      verification: 'not checked: no database connected (run `db-optimize query --db URL` to verify it with HypoPG)',
    },
  };
}
