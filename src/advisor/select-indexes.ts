import type { Evaluation } from './cost-oracle.ts';
import type { CostOracle } from './cost-oracle.ts';
import type { AdvisorStatement, Candidate } from './types.ts';

export interface SelectionInput {
  readonly oracle: CostOracle;
  readonly statements: readonly AdvisorStatement[];
  readonly candidates: readonly Candidate[];
  readonly baseline: ReadonlyMap<string, number>;
  readonly sizeOf: (c: Candidate) => number;
  readonly writeCostOf: (c: Candidate) => number;
  readonly budgetBytes: number;
  readonly maxIndexes: number;
  /** a new index must cut at least one statement's cost by this fraction (a widening only has to lower it) */
  readonly minImprovement: number;
  /** true once the time limit is reached: the best configuration so far is returned */
  readonly expired: () => boolean;
}

export interface SelectionResult {
  readonly chosen: Candidate[];
  /** weighted workload cost (reads) under the chosen configuration */
  readonly cost: number;
  /** per statement cost under { c } alone, for every evaluated candidate */
  readonly singles: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly rounds: number;
  readonly timedOut: boolean;
  /** why candidates were left out, by id */
  readonly rejected: ReadonlyMap<string, string>;
}

/** Weighted read cost of the statements under a configuration; unplannable ones keep their baseline. */
export async function weightedCost(
  oracle: CostOracle,
  statements: readonly AdvisorStatement[],
  config: readonly Candidate[],
  baseline: ReadonlyMap<string, number>,
): Promise<{ total: number; per: Map<string, Evaluation | null> }> {
  const per = await oracle.evaluate(statements, config);
  let total = 0;
  for (const s of statements) total += s.weight * (per.get(s.id)?.cost ?? baseline.get(s.id) ?? 0);
  return { total, per };
}

function affects(c: Candidate, s: AdvisorStatement): boolean {
  return s.tables.includes(c.table);
}

/**
 * Extend-style greedy (Kossmann et al.): each round adds the candidate — or widens a chosen
 * index into a candidate it prefixes — with the best net benefit (read cost saved minus write
 * overhead) per byte, within the storage budget and index count; then a consolidation pass
 * removes choices that later ones made redundant.
 */
export async function selectIndexes(input: SelectionInput): Promise<SelectionResult> {
  const { oracle, statements, baseline } = input;
  const rejected = new Map<string, string>();
  const singles = new Map<string, Map<string, number>>();
  let timedOut = false;

  // round 0: every candidate alone; candidates no plan uses are dropped from the pool
  const pool: Candidate[] = [];
  for (const c of input.candidates) {
    if (input.expired()) {
      timedOut = true;
      break;
    }
    const affected = statements.filter((s) => affects(c, s));
    const per = await oracle.evaluate(affected, [c]);
    const costs = new Map<string, number>();
    let best = 0;
    let used = false;
    let measured = false;
    for (const s of affected) {
      const e = per.get(s.id);
      if (e === null || e === undefined) continue;
      measured = true;
      costs.set(s.id, e.cost);
      if (e.used.has(c.id)) used = true;
      const b = baseline.get(s.id) ?? e.cost;
      if (b > 0) best = Math.max(best, (b - e.cost) / b);
    }
    singles.set(c.id, costs);
    const error = oracle.candidateErrors.get(c.id);
    if (error !== undefined) rejected.set(c.id, `cannot be built: ${error}`);
    else if (!measured) rejected.set(c.id, 'not measurable here');
    else if (!used) rejected.set(c.id, 'the planner does not use it for any statement');
    else if (best < input.minImprovement && !(c.widens !== undefined && best > 0)) rejected.set(c.id, `improves no statement by ${Math.round(input.minImprovement * 100)} % or more`);
    else pool.push(c);
  }

  let chosen: Candidate[] = [];
  let current = await weightedCost(oracle, statements, chosen, baseline);
  let rounds = 0;
  const sizeTotal = (cs: readonly Candidate[]): number => cs.reduce((a, c) => a + input.sizeOf(c), 0);

  for (;;) {
    if (timedOut || input.expired()) {
      timedOut = true;
      break;
    }
    rounds++;
    let best: { config: Candidate[]; ratio: number; cost: number } | null = null;
    const moves: { add: Candidate; replace?: Candidate }[] = [];
    for (const c of pool) {
      if (chosen.some((x) => x.id === c.id)) continue;
      moves.push({ add: c });
      for (const s of chosen) {
        if (s.table === c.table && s.method === c.method && s.predicate === c.predicate && s.keys.length < c.keys.length && s.keys.every((k, i) => c.keys[i]?.expr === k.expr && c.keys[i]?.desc === k.desc)) {
          moves.push({ add: c, replace: s });
        }
      }
    }
    for (const m of moves) {
      if (input.expired()) {
        timedOut = true;
        break;
      }
      const config = [...chosen.filter((x) => x.id !== m.replace?.id), m.add];
      if (config.length > input.maxIndexes || sizeTotal(config) > input.budgetBytes) continue;
      const affected = statements.filter((s) => affects(m.add, s));
      const before = affected.reduce((a, s) => a + s.weight * (current.per.get(s.id)?.cost ?? baseline.get(s.id) ?? 0), 0);
      const after = await weightedCost(oracle, affected, config, baseline);
      const writeDelta = input.writeCostOf(m.add) - (m.replace === undefined ? 0 : input.writeCostOf(m.replace));
      const net = before - after.total - writeDelta;
      if (net <= 0) continue;
      const bytes = Math.max(8192, input.sizeOf(m.add) - (m.replace === undefined ? 0 : input.sizeOf(m.replace)));
      const ratio = net / bytes;
      if (best === null || ratio > best.ratio) best = { config, ratio, cost: current.total - (before - after.total) };
    }
    if (best === null) break;
    chosen = best.config;
    current = await weightedCost(oracle, statements, chosen, baseline);
  }

  // consolidation: a choice whose marginal benefit no longer pays its write cost goes
  for (const c of [...chosen]) {
    if (chosen.length <= 1) break;
    const without = chosen.filter((x) => x.id !== c.id);
    const affected = statements.filter((s) => affects(c, s));
    const withCost = affected.reduce((a, s) => a + s.weight * (current.per.get(s.id)?.cost ?? baseline.get(s.id) ?? 0), 0);
    const withoutCost = (await weightedCost(oracle, affected, without, baseline)).total;
    if (withoutCost - withCost <= input.writeCostOf(c)) {
      chosen = without;
      rejected.set(c.id, 'made redundant by other chosen indexes (consolidation)');
      current = await weightedCost(oracle, statements, chosen, baseline);
    }
  }
  return { chosen, cost: current.total, singles, rounds, timedOut, rejected };
}
