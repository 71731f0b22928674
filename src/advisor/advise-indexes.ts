import { formatBytes, formatCount } from '../format/format.ts';
import { unquoteIdent } from '../sql/quote.ts';
import type { Index, Snapshot, Table, Workload } from '../model/index.ts';
import type { SandboxEngine } from '../whatif/sandbox-engine.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import { buildStatements } from './build-statements.ts';
import { tableRows } from './column-stats.ts';
import { CostOracle } from './cost-oracle.ts';
import type { Evaluation } from './cost-oracle.ts';
import { exactPolish } from './exact-polish.ts';
import { DEFAULT_CANDIDATE_OPTIONS, candidatesFor, indexColumnName, mergeCandidates } from './generate-candidates.ts';
import type { CandidateOptions } from './generate-candidates.ts';
import { createIndexDdl, indexName } from './index-name.ts';
import { partitionedIndexDdl, reusedPartitionIndexes } from './partitioned-ddl.ts';
import { DEFAULT_KNEE_OPTIONS, twins } from './knee.ts';
import type { KneeOptions } from './knee.ts';
import { isRelevant } from './relevance.ts';
import { hiddenBy, selectIndexes, weightedCost } from './select-indexes.ts';
import type {
  AdvisorResult,
  AdvisorStatement,
  Candidate,
  CostMethod,
  DropRecommendation,
  IndexProposal,
  IndexRecommendation,
  StatementCost,
  StatementDecision,
} from './types.ts';
import { writeOverhead } from './write-overhead.ts';
import type { WriteModel } from './write-overhead.ts';
import { chooseWriteModel } from './write-model.ts';
import type { WriteSourceOption } from './write-model.ts';

export interface AdvisorOptions {
  readonly budgetBytes: number;
  readonly maxIndexes: number;
  /** a candidate must cut at least one statement's cost by this fraction (Dexter uses 50 %) */
  readonly minImprovement: number;
  readonly writeCostPerEntry: number;
  /** where write rates come from: 'auto' reads counters unless a table looks bulk-loaded (see chooseWriteModel) */
  readonly writeSource: WriteSourceOption;
  /** exact polish only up to this many candidates in the pool */
  readonly polishMaxCandidates: number;
  readonly candidates: CandidateOptions;
  /** where selection stops: see KneeOptions */
  readonly knee: KneeOptions;
}

export const DEFAULT_ADVISOR_OPTIONS: AdvisorOptions = {
  budgetBytes: Number.POSITIVE_INFINITY,
  maxIndexes: 20,
  minImprovement: 0.1,
  writeCostPerEntry: 2,
  writeSource: 'auto',
  polishMaxCandidates: 60,
  candidates: DEFAULT_CANDIDATE_OPTIONS,
  knee: DEFAULT_KNEE_OPTIONS,
};

export interface AdviseInput {
  readonly snapshot: Snapshot;
  readonly workload: Workload;
  readonly whatIf: WhatIfEngine | null;
  /** real builds in rolled-back transactions (GIN/BRIN, and the fallback without HypoPG) */
  readonly sandbox?: SandboxEngine | null;
  readonly sandboxAllowed?: (table: string) => boolean;
  /** why the sandbox may not build on a table though its size allows it (the role does not own it), else null */
  readonly sandboxRefusal?: (table: string) => string | null;
  readonly options?: Partial<AdvisorOptions>;
  /** milliseconds clock for --time-limit; without it the search is not time-bounded */
  readonly clock?: () => number;
  readonly timeLimitMs?: number;
}

const HYPOPG_HINT =
  'HypoPG is not installed: install the package (e.g. apt install postgresql-NN-hypopg) and run CREATE EXTENSION hypopg for verified what-if costs';

/**
 * The index advisor: candidates from the workload's predicates, costs from HypoPG or sandbox
 * builds, Extend-style greedy selection under budget with write overhead, an exact polish on
 * small instances, redundant existing indexes to drop, and a decision for every statement.
 */
export async function adviseIndexes(input: AdviseInput): Promise<AdvisorResult> {
  const options: AdvisorOptions = { ...DEFAULT_ADVISOR_OPTIONS, ...input.options, candidates: { ...DEFAULT_CANDIDATE_OPTIONS, ...input.options?.candidates }, knee: { ...DEFAULT_KNEE_OPTIONS, ...input.options?.knee } };
  const { snapshot, workload, whatIf } = input;
  const sandbox = input.sandbox ?? null;
  const sandboxAllowed = input.sandboxAllowed ?? (() => false);
  const clock = input.clock;
  const started = clock?.() ?? 0;
  const expired = (): boolean => clock !== undefined && input.timeLimitMs !== undefined && clock() - started > input.timeLimitMs;
  const notes: string[] = [];

  const built = buildStatements(workload, snapshot);
  const oracle = new CostOracle({ snapshot, whatIf, sandbox, sandboxAllowed, relevant: isRelevant });
  const method: CostMethod = whatIf !== null ? 'hypopg' : sandbox !== null ? 'sandbox' : 'none';
  const refusal = input.sandboxRefusal ?? (() => null);
  const refused = [...new Set(built.statements.flatMap((st) => st.tables))].map(refusal).filter((r): r is string => r !== null);
  const refusedNote = sandbox !== null && refused.length > 0 ? `; real builds are not possible on ${refused.length} table(s): ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? '; …' : ''}` : '';
  const methodNote =
    (whatIf !== null
      ? `HypoPG ${whatIf.hypopgVersion} planner estimates for btree${sandbox !== null ? '; GIN/BRIN measured by real builds in rolled-back transactions on small tables' : '; GIN/BRIN not measured'}`
      : sandbox !== null
        ? `${HYPOPG_HINT}. Costs come from real index builds inside rolled-back transactions on small tables: verified with real statistics, each build holding a SHARE lock on its table (writes wait) until the rollback`
        : `${HYPOPG_HINT}. Nothing could be measured: every recommendation is unverified`) + refusedNote;
  if (whatIf === null) notes.push(HYPOPG_HINT);
  if (refusedNote !== '') notes.push(refusedNote.slice(2));

  // baseline
  const baselineEval = await oracle.evaluate(built.statements, []);
  const baseline = new Map<string, number>();
  const skipped = [...built.skipped];
  const statements: AdvisorStatement[] = [];
  for (const s of built.statements) {
    const e = baselineEval.get(s.id);
    if (e === null || e === undefined) {
      const failure = oracle.failure(s.id);
      if (failure !== undefined) {
        skipped.push({ fingerprint: s.fingerprint, text: s.text, reason: `cannot be planned: ${failure}` });
        continue;
      }
    } else baseline.set(s.id, e.cost);
    statements.push(s);
  }

  // candidates
  const indexesByTable = new Map<string, Index[]>();
  for (const i of snapshot.indexes) indexesByTable.set(i.table, [...(indexesByTable.get(i.table) ?? []), i]);
  const raw: Candidate[] = [];
  for (const s of statements) {
    const fixed = built.fixedLiterals.get(s.id);
    for (const a0 of built.shapes.get(s.id)?.accesses ?? []) {
      // a constant that may vary between calls is a column to index, not a partial-index predicate
      const a = { ...a0, literalEq: a0.literalEq.filter((l) => l.literal !== true || fixed?.has(`${a0.table.qualifiedName}.${l.column}`) === true) };
      raw.push(...candidatesFor(a, s.id, snapshot, indexesByTable.get(a.table.qualifiedName) ?? [], options.candidates));
    }
  }
  const candidates = mergeCandidates(raw);
  const tableOf = new Map(snapshot.tables.map((t) => [t.qualifiedName, t]));
  const writeChoice = chooseWriteModel(snapshot, built.writes, options.writeSource);
  const writeSources = new Map(writeChoice.tables.map((t) => [t.table, t.source]));
  const writeModel: WriteModel = {
    costPerEntry: options.writeCostPerEntry,
    workloadUpdates: built.updates,
    workloadWrites: built.writes,
    sourceFor: (table) => writeSources.get(table) ?? (options.writeSource === 'workload' ? 'workload' : 'stats'),
  };
  const overhead = new Map(candidates.map((c) => [c.id, writeOverhead(c, tableOf.get(c.table), snapshot, writeModel)]));
  const sizes = new Map<string, { bytes: number; method: 'hypopg' | 'sandbox' | 'estimate' }>();
  for (const c of candidates) sizes.set(c.id, await oracle.size(c));
  const sizeOf = (c: Candidate): number => sizes.get(c.id)?.bytes ?? 8192;
  // a widening replaces the index it extends (dropped below when redundant): only the difference in storage and writes counts
  const widened = (c: Candidate): Index | undefined => (c.widens === undefined ? undefined : snapshot.indexes.find((i) => i.qualifiedName === c.widens));
  const addedBytes = (c: Candidate): number => Math.max(0, sizeOf(c) - (widened(c)?.sizeBytes ?? 0));
  const writeCostOf = (c: Candidate): number => {
    const own = overhead.get(c.id)?.costPerDay ?? 0;
    const old = widened(c);
    if (old === undefined) return own;
    const asCandidate: Candidate = { id: c.id, kind: 'btree', table: c.table, method: c.method, keys: c.keys.slice(0, old.columns.length), include: [], predicate: null, definition: old.definition, columns: old.columns.map((x) => x.name), sources: c.sources };
    return Math.max(0, own - writeOverhead(asCandidate, tableOf.get(c.table), snapshot, writeModel).costPerDay);
  };

  const hideFor = (c: Candidate): Index[] => {
    const old = widened(c);
    if (old === undefined) return [];
    const canHide = whatIf !== null ? whatIf.canHide : sandbox !== null && sandboxAllowed(old.table);
    return canHide ? [old] : [];
  };
  const measurable = candidates.filter((c) => oracle.methodFor([c], []) !== 'none' && !oracle.candidateErrors.has(c.id));
  const selection = await selectIndexes({
    oracle,
    statements,
    candidates: measurable,
    baseline,
    sizeOf: addedBytes,
    writeCostOf,
    hideFor,
    budgetBytes: options.budgetBytes,
    maxIndexes: options.maxIndexes,
    minImprovement: options.minImprovement,
    expired,
    knee: options.knee,
  });
  let chosen = selection.chosen;
  let polish = 'not run';
  const pool = measurable.filter((c) => !selection.rejected.has(c.id));
  if (pool.length > 0 && pool.length <= options.polishMaxCandidates && !expired()) {
    const remaining = clock === undefined || input.timeLimitMs === undefined ? 10 : Math.max(0.1, (input.timeLimitMs - (clock() - started)) / 1000);
    const exact = await exactPolish({
      statements,
      candidates: pool,
      singles: selection.singles,
      baseline,
      sizeOf: addedBytes,
      writeCostOf,
      budgetBytes: options.budgetBytes,
      maxIndexes: options.maxIndexes,
      timeLimitSeconds: remaining,
    });
    if (exact.chosen === null) polish = `HiGHS: ${exact.status}`;
    else {
      const both = [...chosen, ...exact.chosen];
      const prefer = oracle.methodFor(both, hiddenBy(both, hideFor));
      const score = async (cfg: readonly Candidate[]): Promise<number> =>
        (await weightedCost(oracle, statements, cfg, baseline, hideFor, prefer)).total + cfg.reduce((a, c) => a + writeCostOf(c), 0);
      const greedyScore = await score(chosen);
      const exactScore = await score(exact.chosen);
      // the exact model has no knee and no notion of twins: it must beat the greedy set by more than the knee
      const exactSet = exact.chosen;
      const hasTwins = exactSet.some((a) => exactSet.some((b) => twins(a, b)));
      if (!hasTwins && exactScore < greedyScore * (1 - options.knee.minMarginalGain)) {
        polish = `HiGHS ${exact.status}: improved the greedy configuration by ${((1 - exactScore / greedyScore) * 100).toFixed(2)} %`;
        chosen = exactSet;
      } else polish = `HiGHS ${exact.status}: greedy configuration kept (exact model found nothing better beyond the knee)`;
    }
  } else if (pool.length > options.polishMaxCandidates) polish = `skipped: ${pool.length} candidates (limit ${options.polishMaxCandidates})`;

  const final = await weightedCost(oracle, statements, chosen, baseline, hideFor);
  const hidden = hiddenBy(chosen, hideFor);
  const finalCost = (s: AdvisorStatement): number | null => final.per.get(s.id)?.cost ?? baseline.get(s.id) ?? null;

  // attribution: each statement's gain goes to the chosen indexes its plans use
  const taken = new Set(snapshot.indexes.map((i) => i.name));
  const gains = new Map<string, number>();
  const helped = new Map<string, StatementCost[]>();
  let totalGain = 0;
  for (const s of statements) {
    const e = final.per.get(s.id);
    const b = baseline.get(s.id);
    if (e === null || e === undefined || b === undefined) continue;
    const users = chosen.filter((c) => e.used.has(c.id));
    const gain = s.weight * Math.max(0, b - e.cost);
    totalGain += gain;
    for (const c of users) {
      gains.set(c.id, (gains.get(c.id) ?? 0) + gain / users.length);
      helped.set(c.id, [...(helped.get(c.id) ?? []), { fingerprint: s.fingerprint, costBefore: b, costAfter: e.cost, weight: s.weight }]);
    }
  }
  const verifiedFor = (m: CostMethod, c: Candidate): { verified: boolean; verification: string } => {
    if (m === 'hypopg') return { verified: true, verification: `HypoPG ${whatIf?.hypopgVersion ?? ''} what-if: planner cost with the hypothetical index, generic plan and pg_stats constants` };
    if (m === 'sandbox') return { verified: true, verification: sandboxVerification(c, oracle.buildMs.get(c.definition), sandbox?.lockTimeoutMs) };
    return { verified: false, verification: 'not measured' };
  };
  const recommendation = (c: Candidate, m: CostMethod, stmts: StatementCost[], benefit: number | null): IndexRecommendation => {
    const name = indexName(c, taken);
    const v = verifiedFor(m, c);
    const reused = reusedPartitionIndexes(c, snapshot);
    const note = `attaches ${reused.length} existing partition index(es) with this definition (${reused.map((i) => i.qualifiedName).join(', ')}) instead of building them again`;
    return {
      candidate: reused.length === 0 ? c : { ...c, note: c.note === undefined ? note : `${c.note}; ${note}` },
      name,
      ddl: partitionedIndexDdl(c, name, snapshot, taken) ?? createIndexDdl(c, name),
      sizeBytes: sizeOf(c),
      sizeMethod: sizes.get(c.id)?.method ?? 'estimate',
      statements: stmts,
      benefitPerDay: benefit,
      shareOfGain: benefit === null || totalGain <= 0 ? null : benefit / totalGain,
      writeOverhead: overhead.get(c.id) ?? { entriesPerDay: 0, costPerDay: 0, breaksHotUpdatesPerDay: 0, breaksHotColumns: [] },
      method: m,
      ...v,
      ...(c.needsExtension === undefined ? {} : { verified: false, verification: `needs CREATE EXTENSION ${c.needsExtension} first; not measured` }),
    };
  };
  const indexes: IndexRecommendation[] = chosen
    .map((c) => recommendation(c, oracle.methodFor([c], []), helped.get(c.id) ?? [], gains.get(c.id) ?? 0))
    .sort((a, b) => (b.benefitPerDay ?? 0) - (a.benefitPerDay ?? 0));

  // drops: existing indexes a chosen one makes redundant
  const drops: DropRecommendation[] = [];
  for (const c of chosen) {
    for (const e of indexesByTable.get(c.table) ?? []) {
      const redundant =
        e.method === 'btree' &&
        e.isValid &&
        e.predicate === null &&
        !e.isUnique &&
        !e.isPrimary &&
        e.constraint === null &&
        !e.isReplicaIdentity &&
        c.method === 'btree' &&
        c.predicate === null &&
        e.columns.length < c.keys.length &&
        e.columns.every((col, i) => !col.isExpression && indexColumnName(col) === c.keys[i]?.expr) &&
        e.includeColumns.map(unquoteIdent).every((x) => c.keys.some((k) => k.expr === x) || c.include.includes(x));
      if (!redundant || drops.some((d) => d.index.oid === e.oid)) continue;
      const on = statements.filter((s) => s.tables.includes(c.table));
      const withCost = on.reduce((a, s) => a + s.weight * (finalCost(s) ?? 0), 0);
      const recName = indexes.find((r) => r.candidate.id === c.id)?.name ?? c.id;
      if (hidden.some((h) => h.oid === e.oid)) {
        // the selection already costed the configuration without it; cost it once more with it kept
        const kept = await oracle.evaluate(on, chosen, hidden.filter((h) => h.oid !== e.oid));
        const withIt = on.reduce((a, s) => a + s.weight * (kept.get(s.id)?.cost ?? finalCost(s) ?? 0), 0);
        const how = whatIf !== null ? 'hypopg_hide_index' : 'dropped inside the rolled-back sandbox transaction';
        drops.push({
          index: e,
          replacedBy: recName,
          method: whatIf !== null ? 'hypopg-hide' : 'sandbox-drop',
          evidence: `${how}: cost of the ${on.length} workload statement(s) on ${c.table} is ${round(withIt)} with ${e.name} kept and ${round(withCost)} without it (${recName} in place)`,
          costWith: withIt,
          costWithout: withCost,
          verified: true,
        });
        continue;
      }
      const usedBy = on.filter((s) => final.per.get(s.id)?.usedExisting.has(e.name) === true);
      const measured = on.every((s) => final.per.get(s.id) !== null && final.per.get(s.id) !== undefined);
      if (usedBy.length === 0 && measured) {
        drops.push({
          index: e,
          replacedBy: recName,
          method: 'plan-usage',
          evidence: `${whatIf === null ? 'sandbox' : `HypoPG ${whatIf.hypopgVersion} (no hypopg_hide_index)`}: with ${recName} in place no plan of the ${on.length} workload statement(s) on ${c.table} uses ${e.name}, so removing it leaves every plan and cost unchanged`,
          costWith: withCost,
          costWithout: withCost,
          verified: true,
        });
      } else {
        drops.push({
          index: e,
          replacedBy: recName,
          method: 'prefix-redundancy',
          evidence: `${e.name} (${e.columns.map((x) => x.name).join(', ')}) is a leading prefix of ${recName}, which serves the same lookups; ${usedBy.length} statement(s) still prefer ${e.name}, whose cost without it was not measured`,
          costWith: withCost,
          costWithout: null,
          verified: false,
        });
      }
    }
  }

  // proposals and a decision for every statement
  const chosenIds = new Set(chosen.map((c) => c.id));
  const proposals: IndexProposal[] = [];
  const decisions: StatementDecision[] = [];
  for (const s of statements) {
    const b = baseline.get(s.id) ?? null;
    const after = finalCost(s);
    const e = final.per.get(s.id);
    const usedChosen = chosen.filter((c) => e?.used.has(c.id) === true);
    if (b !== null && after !== null && usedChosen.length > 0 && after < b) {
      decisions.push({ fingerprint: s.fingerprint, text: s.text, weight: s.weight, costBefore: b, costAfter: after, decision: 'indexed', reason: `uses ${usedChosen.map((c) => indexes.find((r) => r.candidate.id === c.id)?.name ?? c.id).join(', ')}` });
      continue;
    }
    const mine = candidates.filter((c) => c.sources.includes(s.id) && !chosenIds.has(c.id));
    // best measured candidate for this statement alone
    let best: { c: Candidate; cost: number } | null = null;
    for (const c of mine) {
      const cost = selection.singles.get(c.id)?.get(s.id);
      if (cost !== undefined && b !== null && cost < b * (1 - options.minImprovement) && (best === null || cost < best.cost)) best = { c, cost };
    }
    if (best !== null && b !== null) {
      const c = best.c;
      const benefit = s.weight * (b - best.cost);
      const w = writeCostOf(c);
      // the selection judged the index on every statement it serves: its reason (the knee, a re-cost) wins over this statement's share
      const judged = selection.rejected.get(c.id);
      const reason =
        judged !== undefined && /^(below the knee|dropped after|\S+ serves its statements)/.test(judged)
          ? judged
          : benefit <= w
          ? `saves ${formatCount(benefit)} cost units/day at ${formatCount(s.weight)} calls/day but its index maintenance costs ${formatCount(w)}/day (${formatCount(overhead.get(c.id)?.entriesPerDay ?? 0)} entries written/day)`
          : selection.timedOut
            ? 'the time limit ended the search before it was considered'
            : (selection.rejected.get(c.id) ?? `left out under --budget-mb/--max-indexes (${formatBytes(sizeOf(c))}) or by better-value indexes`);
      addProposal(proposals, recommendation(c, oracle.methodFor([c], []), [{ fingerprint: s.fingerprint, costBefore: b, costAfter: best.cost, weight: s.weight }], benefit), reason);
      decisions.push({ fingerprint: s.fingerprint, text: s.text, weight: s.weight, costBefore: b, costAfter: best.cost, decision: 'proposal', reason: `${c.definition}: ${reason}` });
      continue;
    }
    // unmeasurable candidates (GIN/BRIN on large tables, no HypoPG and no sandbox): unverified proposal
    const unmeasured = mine.filter((c) => oracle.methodFor([c], []) === 'none' || c.needsExtension !== undefined).sort((x, y) => specificity(y) - specificity(x))[0];
    if (unmeasured !== undefined) {
      const why =
        unmeasured.needsExtension !== undefined
          ? `needs CREATE EXTENSION ${unmeasured.needsExtension}`
          : `${unmeasured.method === 'btree' ? 'HypoPG is missing' : `HypoPG cannot model ${unmeasured.method.toUpperCase()}`} and ${
              refusal(unmeasured.table) ?? `the table is larger than the sandbox limit (--sandbox measures it${unmeasured.method === 'btree' ? ' with a real build in a rolled-back transaction' : ''})`
            }`;
      addProposal(proposals, { ...recommendation(unmeasured, 'none', [{ fingerprint: s.fingerprint, costBefore: b ?? 0, costAfter: null, weight: s.weight }], null), verified: false, verification: `not measured: ${why}` }, `unverified: ${why}`);
      decisions.push({ fingerprint: s.fingerprint, text: s.text, weight: s.weight, costBefore: b, costAfter: null, decision: 'proposal', reason: `${unmeasured.definition} (unverified: ${why})` });
      continue;
    }
    decisions.push({ fingerprint: s.fingerprint, text: s.text, weight: s.weight, costBefore: b, costAfter: after, decision: 'no-index', reason: noIndexReason(s, built.shapes.get(s.id)?.accesses.map((a) => a.table) ?? [], mine, selection.rejected, e ?? null, options) });
  }

  const costBefore = statements.reduce((a, s) => a + s.weight * (baseline.get(s.id) ?? 0), 0);
  const dropsAfter = drops.some((d) => d.costWithout === null) ? null : final.total + drops.reduce((a, d) => a + ((d.costWithout ?? 0) - (d.costWith ?? 0)), 0);
  return {
    method,
    methodNote,
    indexes,
    proposals,
    drops,
    decisions,
    skipped,
    candidatePool: pool,
    statements,
    workload: { costBefore, costAfter: baseline.size === 0 ? null : (dropsAfter ?? final.total), statements: statements.length },
    writeModel: writeChoice,
    stats: { candidates: candidates.length, whatIfCalls: oracle.whatIfCalls, greedyRounds: selection.rounds, polish, timedOut: selection.timedOut || expired() },
    notes,
  };
}

/** A real build is a measurement: say how it was made and what it cost the table's writers. */
function sandboxVerification(c: Candidate, ms: number | undefined, lockTimeoutMs: number | undefined): string {
  const took = ms === undefined ? '' : ` in ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  const timeout = lockTimeoutMs === undefined ? '' : `, lock_timeout ${Math.round(lockTimeoutMs)} ms`;
  return `verified (real build in a rolled-back transaction): built${took} with real statistics under a SHARE lock on ${c.table} that blocked its writes while it built${timeout}; rolled back, nothing left behind`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function specificity(c: Candidate): number {
  return (c.method === 'gin' ? 10 : 0) + c.keys.length * 2 + c.include.length + (c.predicate === null ? 0 : 1);
}

function addProposal(list: IndexProposal[], rec: IndexRecommendation, reason: string): void {
  const prev = list.findIndex((p) => p.candidate.id === rec.candidate.id);
  if (prev === -1) {
    list.push({ ...rec, reason });
    return;
  }
  const p = list[prev];
  if (p === undefined) return;
  list[prev] = { ...p, statements: [...p.statements, ...rec.statements], benefitPerDay: p.benefitPerDay === null || rec.benefitPerDay === null ? null : p.benefitPerDay + rec.benefitPerDay };
}

function noIndexReason(
  s: AdvisorStatement,
  tables: readonly Table[],
  mine: readonly Candidate[],
  rejected: ReadonlyMap<string, string>,
  e: Evaluation | null,
  options: AdvisorOptions,
): string {
  const small = tables.filter((t) => tableRows(t) < options.candidates.minTableRows);
  if (small.length > 0 && small.length === tables.length) return `${small.map((t) => `${t.qualifiedName} has ${formatCount(tableRows(t))} rows`).join(', ')}: a sequential scan is as cheap as an index`;
  if (mine.length === 0) {
    if (e !== null && e.usedExisting.size > 0) return `already served by existing index ${[...e.usedExisting].join(', ')}`;
    return 'no predicate, join or ordering an index could serve';
  }
  if (e !== null && e.usedExisting.size > 0) return `already served by existing index ${[...e.usedExisting].join(', ')}; no candidate improves it by ${Math.round(options.minImprovement * 100)} % or more`;
  const reasons = [...new Set(mine.map((c) => rejected.get(c.id)).filter((r): r is string => r !== undefined))];
  return `no candidate helps ${s.kind === 'select' ? 'this query' : `this ${s.kind.toUpperCase()}`}: ${reasons.length > 0 ? reasons.join('; ') : 'no cost reduction'}`;
}
