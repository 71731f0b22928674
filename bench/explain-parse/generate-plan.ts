/**
 * A synthetic EXPLAIN ANALYZE plan with `size` nodes, in JSON and in text, shaped like real ones:
 * an Append over many branches, each a hash join / nested loop / sort / aggregate mix with
 * filters, buffers and loops, so every parser path and every tip is exercised.
 */
type Node = Record<string, unknown> & { Plans?: Node[] };

function scan(i: number): Node {
  return {
    'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Parallel Aware': false, 'Relation Name': `t${i % 97}`, Alias: `t${i % 97}`,
    'Startup Cost': 0, 'Total Cost': 100 + i, 'Plan Rows': 1000, 'Plan Width': 16,
    'Actual Startup Time': 0.01, 'Actual Total Time': 1.5, 'Actual Rows': 10, 'Actual Loops': 1,
    Filter: `(v${i % 5} = ${i})`, 'Rows Removed by Filter': 20000 + i,
    'Shared Hit Blocks': 100, 'Shared Read Blocks': 10, 'Shared Dirtied Blocks': 0, 'Shared Written Blocks': 0,
    'Local Hit Blocks': 0, 'Local Read Blocks': 0, 'Local Dirtied Blocks': 0, 'Local Written Blocks': 0, 'Temp Read Blocks': 0, 'Temp Written Blocks': 0,
  };
}

function branch(i: number, budget: number): Node {
  // 5 nodes: Sort → Hash Join → (Seq Scan, Hash → Seq Scan)
  const outer = scan(i);
  const inner = { ...scan(i + 1), 'Parent Relationship': 'Outer' };
  const hash: Node = { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Parallel Aware': false, 'Startup Cost': 1, 'Total Cost': 101, 'Plan Rows': 1000, 'Plan Width': 16,
    'Actual Startup Time': 2, 'Actual Total Time': 2, 'Actual Rows': 10, 'Actual Loops': 1, 'Hash Buckets': 1024, 'Original Hash Buckets': 1024, 'Hash Batches': 1, 'Original Hash Batches': 1, 'Peak Memory Usage': 9, Plans: [inner] };
  const join: Node = { 'Node Type': 'Hash Join', 'Parent Relationship': 'Outer', 'Parallel Aware': false, 'Join Type': 'Inner', 'Startup Cost': 2, 'Total Cost': 300 + i, 'Plan Rows': 5, 'Plan Width': 32,
    'Actual Startup Time': 3, 'Actual Total Time': 5, 'Actual Rows': 100, 'Actual Loops': 1, 'Hash Cond': `(t${i % 97}.id = t${(i + 1) % 97}.id)`, Plans: [outer, hash] };
  const sort: Node = { 'Node Type': 'Sort', 'Parent Relationship': 'Member', 'Parallel Aware': false, 'Startup Cost': 310, 'Total Cost': 311 + i, 'Plan Rows': 5, 'Plan Width': 32,
    'Actual Startup Time': 6, 'Actual Total Time': 6.5, 'Actual Rows': 100, 'Actual Loops': 1, 'Sort Key': [`t${i % 97}.v1`], 'Sort Method': 'quicksort', 'Sort Space Used': 25, 'Sort Space Type': 'Memory', Plans: [join] };
  return budget >= 5 ? sort : scan(i);
}

export function generatePlan(size: number): { json: string; text: string; nodes: number } {
  const members: Node[] = [];
  let count = 1;
  for (let i = 0; count < size; i++) {
    const b = branch(i, size - count);
    members.push(b);
    count += b['Node Type'] === 'Sort' ? 5 : 1;
  }
  const root: Node = { 'Node Type': 'Append', 'Parallel Aware': false, 'Startup Cost': 0, 'Total Cost': 1e6, 'Plan Rows': 5 * members.length, 'Plan Width': 32,
    'Actual Startup Time': 0.1, 'Actual Total Time': 7 * members.length, 'Actual Rows': 100 * members.length, 'Actual Loops': 1, Plans: members };
  const statement = { Plan: root, 'Planning Time': 12.5, Triggers: [], 'Execution Time': 7 * members.length + 1 };
  return { json: JSON.stringify([statement], null, 2), text: toText(statement), nodes: count };
}

const NAMES: Record<string, (n: Node) => string> = {
  'Seq Scan': (n) => `Seq Scan on ${String(n['Relation Name'])}`,
  'Hash Join': () => 'Hash Join',
};

function toText(statement: { Plan: Node; 'Planning Time': number; 'Execution Time': number }): string {
  const out: string[] = [];
  const walk = (n: Node, depth: number): void => {
    const pad = depth === 0 ? '' : `${' '.repeat(depth * 6 - 4)}->  `;
    const prop = ' '.repeat(depth === 0 ? 2 : depth * 6 + 2);
    const name = (NAMES[String(n['Node Type'])] ?? ((x: Node) => String(x['Node Type'])))(n);
    out.push(`${pad}${name}  (cost=${Number(n['Startup Cost']).toFixed(2)}..${Number(n['Total Cost']).toFixed(2)} rows=${String(n['Plan Rows'])} width=${String(n['Plan Width'])}) (actual time=${Number(n['Actual Startup Time']).toFixed(3)}..${Number(n['Actual Total Time']).toFixed(3)} rows=${String(n['Actual Rows'])} loops=${String(n['Actual Loops'])})`);
    if (n['Hash Cond'] !== undefined) out.push(`${prop}Hash Cond: ${String(n['Hash Cond'])}`);
    if (n['Sort Key'] !== undefined) out.push(`${prop}Sort Key: ${(n['Sort Key'] as string[]).join(', ')}`, `${prop}Sort Method: quicksort  Memory: 25kB`);
    if (n.Filter !== undefined) out.push(`${prop}Filter: ${String(n.Filter)}`, `${prop}Rows Removed by Filter: ${String(n['Rows Removed by Filter'])}`);
    if (n['Hash Buckets'] !== undefined) out.push(`${prop}Buckets: 1024  Batches: 1  Memory Usage: 9kB`);
    if (n['Shared Hit Blocks'] !== undefined) out.push(`${prop}Buffers: shared hit=${String(n['Shared Hit Blocks'])} read=${String(n['Shared Read Blocks'])}`);
    for (const c of n.Plans ?? []) walk(c, depth + 1);
  };
  walk(statement.Plan, 0);
  out.push(`Planning Time: ${statement['Planning Time'].toFixed(3)} ms`, `Execution Time: ${statement['Execution Time'].toFixed(3)} ms`);
  return `${out.join('\n')}\n`;
}
