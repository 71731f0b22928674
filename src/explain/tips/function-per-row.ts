import type { Finding } from '../../model/index.ts';
import { tryParseSql } from '../../sql/index.ts';
import { count, defineTip, ms, nodeLabel, threshold, tipFinding } from './plan-tip.ts';

/** Built-in functions common in select lists: cheap per row, so not what a per-row cost points at. */
const BUILTIN = new Set(
  (
    'count sum avg min max coalesce nullif greatest least lower upper length substr substring trim btrim ltrim rtrim replace concat concat_ws ' +
    'round trunc floor ceil ceiling abs now date_trunc date_part extract to_char to_date to_timestamp age md5 array_agg string_agg ' +
    'jsonb_build_object json_build_object row_number rank dense_rank lag lead first_value last_value generate_series unnest cast format'
  ).split(' '),
);

/** Functions called by the statement that are not common built-ins (likely user functions, often PL/pgSQL). */
export function userFunctionsOf(sql: string | null): string[] {
  if (sql === null) return [];
  const parsed = tryParseSql(sql);
  if (!parsed.ok) return [];
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    const fc = o.FuncCall as { funcname?: { String?: { sval?: string } }[] } | undefined;
    if (fc !== undefined) {
      const parts = (fc.funcname ?? []).map((p) => p.String?.sval ?? '');
      const name = parts.at(-1) ?? '';
      if (parts[0] !== 'pg_catalog' && !BUILTIN.has(name)) names.add(parts.join('.'));
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(parsed.result);
  return [...names].sort();
}

const EVALUATING = new Set([
  'Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Result', 'ProjectSet', 'Subquery Scan', 'Values Scan', 'Function Scan',
]);

/**
 * A scan whose own time per row is far above what reading a row costs, in a statement that calls
 * user functions: the time goes into evaluating them once per row (PL/pgSQL has a per-call cost).
 */
export const functionPerRowTip = defineTip({
  id: 'plan-function-per-row',
  title: 'Functions evaluated once per row dominate the time',
  description: 'A scan spends many microseconds per row while the statement calls user functions on each row.',
  thresholds: {
    minMicrosPerRow: { default: 2, description: 'exclusive µs per row of the scan before the function calls are suspected' },
    minRows: { default: 10_000, description: 'rows the scan produced' },
    minShare: { default: 0.2, description: 'share of execution time in that scan' },
  },
  check(context) {
    const { plan, sql } = context;
    const functions = userFunctionsOf(sql);
    const total = plan.totalMs ?? 0;
    if (functions.length === 0 || total <= 0) return [];
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (!EVALUATING.has(n.node.nodeType) || n.exclusiveMs === null || n.actualRowsTotal === null) continue;
      const rows = n.actualRowsTotal;
      if (rows < threshold(context, this, 'minRows') || n.exclusiveMs < total * threshold(context, this, 'minShare')) continue;
      // time spent waiting for reads is not function time
      const cpuMs = n.exclusiveMs - (n.ioMs ?? 0);
      const micros = (cpuMs * 1000) / rows;
      if (micros < threshold(context, this, 'minMicrosPerRow')) continue;
      // reading and projecting a cached row costs well under a microsecond: the rest is the calls
      const callMs = Math.max(0, cpuMs - rows * 0.0005);
      out.push(
        tipFinding(plan, {
          rule: 'plan-function-per-row',
          node: n,
          title: `${nodeLabel(n)} spends ${Math.round(micros * 10) / 10} µs per row over ${count(rows)} rows: ${functions.join(', ')} run once per row`,
          savingMs: callMs * 0.5,
          savingBasis: 'uncertain: half of the scan time above 0.5 µs per row (function calls made cheaper or set-based)',
          evidence: { functions, rows, microsPerRow: Math.round(micros * 100) / 100, exclusiveMs: n.exclusiveMs, ioMs: n.ioMs },
          description:
            `${nodeLabel(n)} took ${ms(n.exclusiveMs)} for ${count(rows)} rows (${Math.round(micros * 10) / 10} µs each), far above what reading a row costs. ` +
            `The statement calls ${functions.join(', ')} on every row; a PL/pgSQL function pays an interpreter entry and plan-cache lookup per call.`,
          nextSteps: [
            'write the function in LANGUAGE sql (simple expressions are inlined into the query) or inline the expression',
            'mark it IMMUTABLE or STABLE when it is, so PostgreSQL may evaluate it fewer times; check with track_functions = pl and pg_stat_user_functions',
            'for trigger-like logic, do it once set-based (INSERT … SELECT with the expression) rather than per row',
          ],
        }),
      );
    }
    return out;
  },
});
