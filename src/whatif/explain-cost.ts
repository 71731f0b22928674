import type pg from 'pg';

export interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Total Cost'?: number;
  'Startup Cost'?: number;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

export interface ExplainedCost {
  readonly totalCost: number;
  readonly startupCost: number;
  readonly planRows: number;
  readonly usedIndexes: readonly string[];
  readonly plan: PlanNode;
}

export function usedIndexes(node: PlanNode, out: Set<string> = new Set()): Set<string> {
  if (node['Index Name'] !== undefined) out.add(node['Index Name']);
  for (const child of node.Plans ?? []) usedIndexes(child, out);
  return out;
}

/** Highest $n in a statement (0 when it has no parameters); string literals are skipped. */
export function parameterCount(sql: string): number {
  let max = 0;
  for (const m of sql.replace(/'(?:[^']|'')*'/g, "''").matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/**
 * EXPLAIN (FORMAT JSON) of one statement on the given session. Parameterized statements get
 * their generic plan: EXPLAIN (GENERIC_PLAN) on 16+, PREPARE under plan_cache_mode =
 * force_generic_plan on 14/15 (the prepared statement is deallocated at once, so a cached plan
 * never outlives the hypothetical indexes it was planned with).
 */
export async function explainCost(
  client: pg.PoolClient,
  sql: string,
  serverVersionNum: number,
  values: readonly unknown[] | null = null,
): Promise<ExplainedCost> {
  const params = parameterCount(sql);
  let plan: PlanNode;
  if (values !== null) {
    // bound values: the custom plan for these constants
    const result = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, [...values]);
    plan = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]?.Plan ?? {};
  } else if (params === 0 || serverVersionNum >= 160000) {
    const generic = params > 0 ? 'GENERIC_PLAN, ' : '';
    const result = await client.query(`EXPLAIN (${generic}FORMAT JSON) ${sql}`);
    plan = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]?.Plan ?? {};
  } else {
    await client.query('DEALLOCATE ALL');
    await client.query(`PREPARE dbo_whatif AS ${sql}`);
    try {
      await client.query(`SET plan_cache_mode = force_generic_plan`);
      const args = Array.from({ length: params }, () => 'NULL').join(', ');
      const result = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE dbo_whatif(${args})`);
      plan = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]?.Plan ?? {};
    } finally {
      await client.query('DEALLOCATE dbo_whatif').catch(() => undefined);
      await client.query('RESET plan_cache_mode').catch(() => undefined);
    }
  }
  return {
    totalCost: plan['Total Cost'] ?? 0,
    startupCost: plan['Startup Cost'] ?? 0,
    planRows: plan['Plan Rows'] ?? 0,
    usedIndexes: [...usedIndexes(plan)].sort(),
    plan,
  };
}

function toCost(plan: PlanNode): ExplainedCost {
  return {
    totalCost: plan['Total Cost'] ?? 0,
    startupCost: plan['Startup Cost'] ?? 0,
    planRows: plan['Plan Rows'] ?? 0,
    usedIndexes: [...usedIndexes(plan)].sort(),
    plan,
  };
}

/**
 * Several EXPLAINs in one round trip (the simple-query protocol runs them in order). A batch
 * with an error is replanned one statement at a time so each error lands on its statement.
 * Parameterized statements always go one by one (generic plans).
 */
export async function explainMany(client: pg.PoolClient, sqls: readonly string[], serverVersionNum: number, batchSize = 40): Promise<(ExplainedCost | Error)[]> {
  const out: (ExplainedCost | Error)[] = new Array<ExplainedCost | Error>(sqls.length);
  const plain: number[] = [];
  for (const [i, sql] of sqls.entries()) {
    if (parameterCount(sql) > 0 || sql.includes(';')) {
      out[i] = await explainCost(client, sql, serverVersionNum).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    } else plain.push(i);
  }
  for (let start = 0; start < plain.length; start += batchSize) {
    const chunk = plain.slice(start, start + batchSize);
    try {
      const text = chunk.map((i) => `EXPLAIN (FORMAT JSON) ${sqls[i] ?? ''}`).join(';\n');
      const res = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
      const list = Array.isArray(res) ? res : [res];
      chunk.forEach((i, k) => {
        const rows = list[k]?.rows as { 'QUERY PLAN': { Plan: PlanNode }[] }[] | undefined;
        out[i] = toCost(rows?.[0]?.['QUERY PLAN'][0]?.Plan ?? {});
      });
    } catch {
      for (const i of chunk) out[i] = await explainCost(client, sqls[i] ?? '', serverVersionNum).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    }
  }
  return out;
}
