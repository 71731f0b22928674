import type { Finding } from '../../model/index.ts';
import { childrenOf } from '../enrich-plan.ts';
import type { EnrichedNode } from '../enrich-plan.ts';
import { indexColumnsFor, predicateTerms } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, tipFinding } from './plan-tip.ts';

const PASS_THROUGH = new Set(['Gather Merge', 'Result']);
const SCANS = new Set(['Seq Scan', 'Bitmap Heap Scan', 'Index Scan']);

/** "o.created_at DESC" → { column: created_at, desc: true } when the key is a plain column. */
export function sortColumn(key: string, alias: string | null): { column: string; desc: boolean } | null {
  const m = /^(?:([A-Za-z_][\w$]*)\.)?([A-Za-z_][\w$]*)(?: (DESC|ASC))?(?: NULLS (?:FIRST|LAST))?$/.exec(key.trim());
  if (m === null) return null;
  if (m[1] !== undefined && alias !== null && m[1] !== alias) return null;
  return { column: m[2] as string, desc: m[3] === 'DESC' };
}

export const sortLimitTip = defineTip({
  id: 'plan-sort-limit',
  title: 'Sort of a whole table under a LIMIT',
  description: 'ORDER BY … LIMIT sorted every row to return a few; an index in the ORDER BY order returns them without a sort.',
  check({ plan }) {
    const out: Finding[] = [];
    for (const limit of plan.nodes) {
      if (limit.node.nodeType !== 'Limit') continue;
      let sort: EnrichedNode | undefined = childrenOf(plan, limit.path).find((c) => c.node.subplanName === null);
      while (sort !== undefined && PASS_THROUGH.has(sort.node.nodeType)) sort = childrenOf(plan, sort.path).find((c) => c.node.subplanName === null);
      if (sort === undefined || sort.node.nodeType !== 'Sort') continue;
      const scan = childrenOf(plan, sort.path).find((c) => c.node.subplanName === null);
      if (scan === undefined || !SCANS.has(scan.node.nodeType) || scan.relation === null) continue;
      const sorted = scan.actualRowsTotal ?? scan.planRowsTotal;
      const returned = limit.actualRowsTotal ?? limit.node.planRows;
      if (sorted < 1000 || sorted < returned * 10) continue;
      const keys = sort.node.sortKey.map((k) => sortColumn(k, scan.node.alias));
      if (keys.length === 0 || keys.some((k) => k === null)) continue;
      const cols = keys as { column: string; desc: boolean }[];
      const mixed = cols.some((c) => c.desc !== cols[0]?.desc);
      const eq = indexColumnsFor((predicateTerms(scan.node.filter) ?? []).filter((t) => t.kind === 'eq' && t.other !== 'column'), scan.node.alias);
      const columns = [...eq, ...cols.map((c) => (mixed ? `${c.column}${c.desc ? ' DESC' : ''}` : c.column)).filter((c) => !eq.includes(c))];
      const candidate = indexCandidate(scan.relation, columns);
      const incl = sort.inclusiveMs ?? 0;
      out.push(
        tipFinding(plan, {
          rule: 'plan-sort-limit',
          node: sort,
          title: `ORDER BY ${sort.node.sortKey.join(', ')} LIMIT ${count(returned)} sorted ${count(sorted)} rows: index ${scan.relation}(${columns.join(', ')})`,
          savingMs: incl * 0.9,
          savingBasis: 'inclusive time of the sort and the scan below it × 0.9',
          evidence: {
            sortKey: [...sort.node.sortKey],
            sortMethod: sort.node.sortMethod,
            rowsSorted: sorted,
            rowsReturned: returned,
            scan: nodeLabel(scan),
            indexColumns: columns,
            indexDefinition: candidate.definition,
          },
          description:
            `To return ${count(returned)} rows the plan read and sorted ${count(sorted)} rows of ${scan.relation} (${ms(incl)}). ` +
            `A btree on (${columns.join(', ')}) yields rows already in order, so the scan stops after the first ${count(returned)}.`,
          fix: candidate.fix,
          relation: scan.relation,
          column: columns.join(','),
        }),
      );
    }
    return out;
  },
});
