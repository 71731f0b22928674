import type { Evaluation } from './cost-oracle.ts';
import type { CostOracle } from './cost-oracle.ts';
import type { Index } from '../model/index.ts';
import { belowKnee, narrowerThan, twins } from './knee.ts';
import type { KneeOptions } from './knee.ts';
import { isRelevant as affects } from './relevance.ts';
import type { AdvisorStatement, Candidate, CostMethod } from './types.ts';

export interface SelectionInput {
  readonly oracle: CostOracle;
  readonly statements: readonly AdvisorStatement[];
  readonly candidates: readonly Candidate[];
  readonly baseline: ReadonlyMap<string, number>;
  readonly sizeOf: (c: Candidate) => number;
  readonly writeCostOf: (c: Candidate) => number;
  /** existing indexes a candidate replaces and that the evaluation can hide (widenings) */
  readonly hideFor: (c: Candidate) => readonly Index[];
  readonly budgetBytes: number;
  readonly maxIndexes: number;
  /** a new index must cut at least one statement's cost by this fraction (a widening only has to lower it) */
  readonly minImprovement: number;
  /** true once the time limit is reached: the best configuration so far is returned */
  readonly expired: () => boolean;
  readonly knee: KneeOptions;
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
  hideFor: (c: Candidate) => readonly Index[] = () => [],
  prefer?: CostMethod,
): Promise<{ total: number; per: Map<string, Evaluation | null> }> {
  const per = await oracle.evaluate(statements, config, hiddenBy(config, hideFor), prefer);
  let total = 0;
  for (const s of statements) total += s.weight * (per.get(s.id)?.cost ?? baseline.get(s.id) ?? 0);
  return { total, per };
}

/** the existing indexes a configuration replaces */
export function hiddenBy(config: readonly Candidate[], hideFor: (c: Candidate) => readonly Index[]): Index[] {
  const out = new Map<number, Index>();
  for (const c of config) for (const i of hideFor(c)) out.set(i.oid, i);
  return [...out.values()];
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
  // statements whose plan with the candidate alone used it and got cheaper: the only ones re-planned for it later
  const helped = new Map<string, Set<string>>();
  let timedOut = false;

  // round 0: every candidate alone; candidates no plan uses are dropped from the pool
  const pool: Candidate[] = [];
  for (const c of input.candidates) {
    if (input.expired()) {
      timedOut = true;
      break;
    }
    const relevant = statements.filter((s) => affects(c, s));
    // first on the statements it was generated for: one that does not help those is dropped before
    // being planned against every other statement of its table (keeps round 0 near-linear)
    const own = relevant.filter((s) => c.sources.includes(s.id));
    if (own.length > 0 && own.length < relevant.length) {
      const first = await oracle.evaluate(own, [c], hiddenBy([c], input.hideFor));
      const helps = own.some((s) => {
        const e = first.get(s.id);
        const b = baseline.get(s.id);
        return e !== null && e !== undefined && b !== undefined && b > 0 && e.used.has(c.id) && (b - e.cost) / b >= (c.widens === undefined ? input.minImprovement : 1e-9);
      });
      if (!helps && oracle.candidateErrors.get(c.id) === undefined && own.every((s) => first.get(s.id) !== null)) {
        rejected.set(c.id, `does not improve the statement(s) it was generated for by ${Math.round(input.minImprovement * 100)} % or more`);
        singles.set(c.id, new Map(own.map((s) => [s.id, first.get(s.id)?.cost ?? baseline.get(s.id) ?? 0])));
        continue;
      }
    }
    const affected = relevant;
    const per = await oracle.evaluate(affected, [c], hiddenBy([c], input.hideFor));
    const costs = new Map<string, number>();
    let best = 0;
    let used = false;
    let measured = false;
    for (const s of affected) {
      const e = per.get(s.id);
      if (e === null || e === undefined) continue;
      measured = true;
      costs.set(s.id, e.cost);
      if (e.used.has(c.id)) {
        used = true;
        if (e.cost < (baseline.get(s.id) ?? Number.POSITIVE_INFINITY)) helped.set(c.id, (helped.get(c.id) ?? new Set()).add(s.id));
      }
      const b = baseline.get(s.id) ?? e.cost;
      if (b > 0) best = Math.max(best, (b - e.cost) / b);
    }
    singles.set(c.id, costs);
    const error = oracle.candidateErrors.get(c.id);
    if (error !== undefined) rejected.set(c.id, `cannot be built: ${error}`);
    else if (!measured) rejected.set(c.id, 'not measurable here');
    else if (!used) rejected.set(c.id, 'the planner does not use it for any statement');
    else if (best < input.minImprovement && !(c.widens !== undefined && best > 0)) rejected.set(c.id, `improves no statement by ${Math.round(input.minImprovement * 100)} % or more`);
    else {
      // benefits are (nearly) submodular: what an index saves alone bounds what it adds to any configuration
      const alone = affected.reduce((a, s) => a + s.weight * Math.max(0, (baseline.get(s.id) ?? 0) - (costs.get(s.id) ?? baseline.get(s.id) ?? 0)), 0);
      const write = input.writeCostOf(c);
      if (alone <= write) rejected.set(c.id, `saves ${Math.round(alone)} cost units/day even alone, less than its write overhead of ${Math.round(write)}/day`);
      else pool.push(c);
    }
  }

  let chosen: Candidate[] = [];
  let current = await weightedCost(oracle, statements, chosen, baseline, input.hideFor);
  let rounds = 0;
  const sizeTotal = (cs: readonly Candidate[]): number => cs.reduce((a, c) => a + input.sizeOf(c), 0);

  // lazy greedy (CELF): a move's last ratio bounds its ratio later, since benefits only shrink as the
  // configuration grows; only the move on top is re-costed, so a round costs a few plans, not the pool
  const bounds = new Map<string, { ratio: number; round: number; saved: number; write: number; bytes: number }>();
  const writesOf = (cs: readonly Candidate[]): number => cs.reduce((a, c) => a + input.writeCostOf(c), 0);
  const aloneCache = new Map<string, number>();
  const aloneRatio = (c: Candidate): number => {
    const known = aloneCache.get(c.id);
    if (known !== undefined) return known;
    const ratio = aloneRatioOf(c);
    aloneCache.set(c.id, ratio);
    return ratio;
  };
  const aloneRatioOf = (c: Candidate): number => {
    const costs = singles.get(c.id) ?? new Map<string, number>();
    const saved = statements.filter((st) => affects(c, st)).reduce((a, st) => a + st.weight * Math.max(0, (baseline.get(st.id) ?? 0) - (costs.get(st.id) ?? baseline.get(st.id) ?? 0)), 0);
    return (saved - input.writeCostOf(c)) / Math.max(8192, input.sizeOf(c));
  };
  for (;;) {
    if (timedOut || input.expired()) {
      timedOut = true;
      break;
    }
    rounds++;
    const moves: { add: Candidate; replace?: Candidate; key: string }[] = [];
    for (const c of pool) {
      if (chosen.some((x) => x.id === c.id)) continue;
      // one of two twins (ASC/DESC, with/without INCLUDE, BRIN/btree): only as a replacement of the other
      const twin = chosen.find((x) => twins(x, c));
      if (twin !== undefined) {
        moves.push({ add: c, replace: twin, key: `${twin.id} => ${c.id}` });
        continue;
      }
      moves.push({ add: c, key: c.id });
      for (const s of chosen) {
        if (s.table === c.table && s.method === c.method && s.predicate === c.predicate && s.keys.length < c.keys.length && s.keys.every((k, i) => c.keys[i]?.expr === k.expr && c.keys[i]?.desc === k.desc)) {
          moves.push({ add: c, replace: s, key: `${s.id} => ${c.id}` });
        }
      }
    }
    const bound = (m: { add: Candidate; key: string }): number => bounds.get(m.key)?.ratio ?? (m.key === m.add.id ? aloneRatio(m.add) : Number.POSITIVE_INFINITY);
    // ties go to the smaller index, then the definition: the same input always gives the same answer
    const order = (a: { m: { add: Candidate; key: string } }, b: { m: { add: Candidate; key: string } }): number =>
      bound(b.m) - bound(a.m) || input.sizeOf(a.m.add) - input.sizeOf(b.m.add) || descKeys(a.m.add) - descKeys(b.m.add) || (a.m.key < b.m.key ? -1 : a.m.key > b.m.key ? 1 : 0);
    let accepted: { config: Candidate[] } | null = null;
    for (;;) {
      if (input.expired()) {
        timedOut = true;
        break;
      }
      const open = moves
        .map((m) => ({ m, config: [...chosen.filter((x) => x.id !== m.replace?.id), m.add] }))
        .filter(({ config }) => config.length <= input.maxIndexes && sizeTotal(config) <= input.budgetBytes)
        .sort(order);
      const top = open[0];
      if (top === undefined || bound(top.m) <= 0) break;
      const known = bounds.get(top.m.key);
      if (known?.round === rounds) {
        const why = belowKnee(known, current.total + writesOf(chosen), input.knee);
        if (why === null) {
          accepted = { config: top.config };
          rejected.delete(top.m.add.id);
          break;
        }
        bounds.set(top.m.key, { ...known, ratio: Number.NEGATIVE_INFINITY });
        if (!chosen.some((x) => x.id === top.m.add.id)) rejected.set(top.m.add.id, `below the knee: ${why}`);
        continue;
      }
      const m = top.m;
      const helps = (c: Candidate | undefined, s: AdvisorStatement): boolean => c !== undefined && helped.get(c.id)?.has(s.id) === true;
      const affected = statements.filter((s) => helps(m.add, s) || helps(m.replace, s));
      // both sides with the backend the new configuration needs: HypoPG and real-build costs differ slightly
      const method = oracle.methodFor(top.config, hiddenBy(top.config, input.hideFor));
      const before =
        method === 'sandbox' && oracle.methodFor(chosen, hiddenBy(chosen, input.hideFor)) !== 'sandbox'
          ? (await weightedCost(oracle, affected, chosen, baseline, input.hideFor, 'sandbox')).total
          : affected.reduce((a, s) => a + s.weight * (current.per.get(s.id)?.cost ?? baseline.get(s.id) ?? 0), 0);
      const after = await weightedCost(oracle, affected, top.config, baseline, input.hideFor);
      const writeDelta = input.writeCostOf(m.add) - (m.replace === undefined ? 0 : input.writeCostOf(m.replace));
      const net = before - after.total - writeDelta;
      const bytes = Math.max(8192, input.sizeOf(m.add) - (m.replace === undefined ? 0 : input.sizeOf(m.replace)));
      bounds.set(m.key, { ratio: net / bytes, round: rounds, saved: before - after.total, write: writeDelta, bytes });
    }
    if (accepted === null) break;
    chosen = accepted.config;
    current = await weightedCost(oracle, statements, chosen, baseline, input.hideFor);
  }

  ({ chosen, current } = await consolidate(input, chosen, current, helped, rejected));
  ({ chosen, current } = await preferNarrower(input, chosen, current, pool, rejected));
  return { chosen, cost: current.total, singles, rounds, timedOut, rejected };
}

function descKeys(c: Candidate): number {
  return c.keys.filter((k) => k.desc).length;
}

type Costed = Awaited<ReturnType<typeof weightedCost>>;

function byId(a: Candidate, b: Candidate): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Drop-one check: each chosen index is removed and the statements it serves re-costed; it goes
 * when the rest of the configuration serves them nearly as well (what it still adds is below the knee).
 */
async function consolidate(
  input: SelectionInput,
  start: Candidate[],
  startCost: Costed,
  helped: ReadonlyMap<string, ReadonlySet<string>>,
  rejected: Map<string, string>,
): Promise<{ chosen: Candidate[]; current: Costed }> {
  let chosen = start;
  let current = startCost;
  const writesOf = (cs: readonly Candidate[]): number => cs.reduce((a, c) => a + input.writeCostOf(c), 0);
  for (let changed = true; changed && chosen.length > 1; ) {
    changed = false;
    for (const c of [...chosen].sort(byId)) {
      if (chosen.length <= 1) break;
      const without = chosen.filter((x) => x.id !== c.id);
      const affected = input.statements.filter((s) => helped.get(c.id)?.has(s.id) === true || current.per.get(s.id)?.used.has(c.id) === true);
      const m = input.oracle.methodFor(chosen, hiddenBy(chosen, input.hideFor));
      const withCost = (await weightedCost(input.oracle, affected, chosen, input.baseline, input.hideFor, m)).total;
      const withoutCost = (await weightedCost(input.oracle, affected, without, input.baseline, input.hideFor, m)).total;
      const why = belowKnee({ saved: withoutCost - withCost, write: input.writeCostOf(c), bytes: input.sizeOf(c) }, current.total + writesOf(chosen), input.knee);
      if (why === null) continue;
      chosen = without;
      rejected.set(c.id, `dropped after re-costing the workload without it: the other chosen indexes serve its statements (${why})`);
      current = await weightedCost(input.oracle, input.statements, chosen, input.baseline, input.hideFor);
      changed = true;
    }
  }
  return { chosen, current };
}

/** When a narrower candidate (fewer keys or INCLUDE columns) costs the same within the tie tolerance, it replaces the wider one. */
async function preferNarrower(
  input: SelectionInput,
  start: Candidate[],
  startCost: Costed,
  pool: readonly Candidate[],
  rejected: Map<string, string>,
): Promise<{ chosen: Candidate[]; current: Costed }> {
  let chosen = start;
  let changed = false;
  for (const c of [...start].sort(byId)) {
    const narrower = pool
      .filter((n) => narrowerThan(n, c) && input.sizeOf(n) < input.sizeOf(c) && !chosen.some((x) => x.id !== c.id && (x.id === n.id || twins(x, n))))
      .sort((a, b) => input.sizeOf(a) - input.sizeOf(b) || byId(a, b));
    if (narrower.length === 0) continue;
    const affected = input.statements.filter((s) => affects(c, s));
    const score = async (cfg: readonly Candidate[], x: Candidate): Promise<number> =>
      (await weightedCost(input.oracle, affected, cfg, input.baseline, input.hideFor)).total + input.writeCostOf(x);
    const base = await score(chosen, c);
    for (const n of narrower) {
      const cfg = chosen.map((x) => (x.id === c.id ? n : x));
      if ((await score(cfg, n)) > base * (1 + input.knee.tieTolerance)) continue;
      chosen = cfg;
      changed = true;
      rejected.set(c.id, `${n.id} serves its statements as well (within ${Math.round(input.knee.tieTolerance * 100)} %) and is narrower`);
      break;
    }
  }
  return { chosen, current: changed ? await weightedCost(input.oracle, input.statements, chosen, input.baseline, input.hideFor) : startCost };
}
