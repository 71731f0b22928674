import type { Index, Snapshot } from '../model/index.ts';
import type { SandboxEngine } from '../whatif/sandbox-engine.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import { avgWidth, equalitySelectivity, tableRows } from './column-stats.ts';
import type { AdvisorStatement, Candidate, CostMethod } from './types.ts';

export interface Evaluation {
  /** mean planner cost over the statement's variants */
  readonly cost: number;
  /** candidate ids the plans use */
  readonly used: ReadonlySet<string>;
  /** names of existing indexes the plans use */
  readonly usedExisting: ReadonlySet<string>;
  readonly method: CostMethod;
}

interface CacheEntry {
  readonly config: ReadonlySet<string>;
  readonly hide: string;
  readonly evaluation: Evaluation;
}

export interface OracleDeps {
  readonly snapshot: Snapshot;
  readonly whatIf: WhatIfEngine | null;
  readonly sandbox: SandboxEngine | null;
  /** whether real builds on this table are allowed (small table or explicit flag) */
  readonly sandboxAllowed: (table: string) => boolean;
  /** which candidates can matter to a statement (default: same table) */
  readonly relevant?: (c: Candidate, s: AdvisorStatement) => boolean;
}

/**
 * Costs statements under index configurations, choosing per configuration the backend that
 * can model it (HypoPG for btree, a rolled-back real build for GIN/BRIN or without HypoPG).
 * Cached per statement by the relevant index subset; a plan that uses only U ⊆ C also answers
 * every configuration between U and C, so most configurations are never planned at all.
 */
function sameTable(c: Candidate, s: AdvisorStatement): boolean {
  return s.tables.includes(c.table);
}

export class CostOracle {
  private readonly deps: OracleDeps;
  private readonly cache = new Map<string, CacheEntry[]>();
  private readonly failures = new Map<string, string>();
  /** longest sandbox build seen per definition, in ms: what the SHARE lock cost */
  readonly buildMs = new Map<string, number>();
  private readonly sizes = new Map<string, { bytes: number; method: 'hypopg' | 'sandbox' | 'estimate' }>();
  readonly candidateErrors = new Map<string, string>();
  private calls = 0;

  constructor(deps: OracleDeps) {
    this.deps = deps;
  }

  get whatIfCalls(): number {
    return this.calls;
  }

  /** why the statement could not be planned, if it could not */
  failure(statementId: string): string | undefined {
    return this.failures.get(statementId);
  }

  methodFor(config: readonly Candidate[], hide: readonly Index[]): CostMethod {
    const { whatIf, sandbox } = this.deps;
    const hypoMethods = whatIf?.methods ?? ['btree'];
    if (whatIf !== null && config.every((c) => hypoMethods.includes(c.method) && c.needsExtension === undefined) && (hide.length === 0 || whatIf.canHide)) return 'hypopg';
    // the sandbox hides an index by dropping it inside the rolled-back transaction (allowed on the same small tables)
    if (sandbox !== null && hide.every((h) => this.deps.sandboxAllowed(h.table)) && config.every((c) => this.deps.sandboxAllowed(c.table) && c.needsExtension === undefined)) return 'sandbox';
    return 'none';
  }

  /**
   * Costs of the statements under a configuration. `prefer` forces one backend when it can model
   * the configuration, so the two sides of a comparison are measured the same way.
   */
  private sandboxCan(config: readonly Candidate[], hide: readonly Index[]): boolean {
    return this.deps.sandbox !== null && hide.every((h) => this.deps.sandboxAllowed(h.table)) && config.every((c) => this.deps.sandboxAllowed(c.table) && c.needsExtension === undefined);
  }

  async evaluate(statements: readonly AdvisorStatement[], config: readonly Candidate[], hide: readonly Index[] = [], prefer?: CostMethod): Promise<Map<string, Evaluation | null>> {
    const out = new Map<string, Evaluation | null>();
    const groups = new Map<string, { method: CostMethod; relevant: Candidate[]; hide: Index[]; statements: AdvisorStatement[] }>();
    for (const s of statements) {
      const relevant = config.filter((c) => (this.deps.relevant ?? sameTable)(c, s));
      const relevantHide = hide.filter((h) => s.tables.includes(h.table));
      const hideKey = relevantHide.map((h) => h.oid).sort((a, b) => a - b).join(',');
      const ids = new Set(relevant.map((c) => c.id));
      const natural = this.methodFor(relevant, relevantHide);
      const method = prefer === 'sandbox' && natural === 'hypopg' && this.sandboxCan(relevant, relevantHide) ? 'sandbox' : natural;
      const hit = (this.cache.get(s.id) ?? []).find(
        (e) => e.hide === hideKey && e.evaluation.method === method && [...e.evaluation.used].every((u) => ids.has(u)) && [...ids].every((i) => e.config.has(i)),
      );
      if (hit !== undefined) {
        out.set(s.id, hit.evaluation);
        continue;
      }
      if (this.failures.has(s.id)) {
        out.set(s.id, null);
        continue;
      }
      if (method === 'none') {
        out.set(s.id, null);
        continue;
      }
      const key = JSON.stringify([method, [...ids].sort(), hideKey]);
      const g = groups.get(key) ?? { method, relevant, hide: relevantHide, statements: [] };
      g.statements.push(s);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const sqls = g.statements.flatMap((s) => s.variants);
      const defs = g.relevant.map((c) => c.definition);
      const byName = new Map<string, string>();
      let results: (Error | { totalCost: number; usedIndexes: readonly string[] })[];
      if (g.method === 'hypopg' && this.deps.whatIf !== null) {
        const w = this.deps.whatIf;
        const hideOids = g.hide.map((h) => h.oid);
        const before = w.calls;
        try {
          results = w.costMany !== undefined ? await w.costMany(sqls, { create: defs, hide: hideOids }) : await Promise.all(sqls.map((q) => w.cost(q, { create: defs, hide: hideOids }).catch((e: unknown) => e as Error)));
        } catch (error) {
          // a definition HypoPG rejects (e.g. a non-immutable expression) poisons the whole configuration
          for (const c of g.relevant) this.candidateErrors.set(c.id, (error as Error).message);
          for (const s of g.statements) out.set(s.id, null);
          continue;
        }
        this.calls += w.calls - before;
        const first = results.find((r): r is { totalCost: number; usedIndexes: readonly string[]; hypothetical?: Readonly<Record<string, string>> } => !(r instanceof Error));
        for (const [def, name] of Object.entries((first as { hypothetical?: Record<string, string> } | undefined)?.hypothetical ?? {})) byName.set(name, def);
      } else {
        const sandbox = this.deps.sandbox;
        if (sandbox === null) continue;
        const before = sandbox.calls;
        const r = await sandbox.costMany(sqls, defs, g.hide.map((h) => h.qualifiedName));
        this.calls += sandbox.calls - before;
        for (const [def, msg] of Object.entries(r.failed)) this.candidateErrors.set(g.relevant.find((c) => c.definition === def)?.id ?? def, msg);
        for (const [def, name] of Object.entries(r.names)) byName.set(name, def);
        for (const [name, def] of Object.entries(r.aliases)) byName.set(name, def);
        for (const [def, ms] of Object.entries(r.buildMs)) this.buildMs.set(def, Math.max(ms, this.buildMs.get(def) ?? 0));
        for (const [def, bytes] of Object.entries(r.sizes)) {
          const c = g.relevant.find((x) => x.definition === def);
          if (c !== undefined && !this.sizes.has(c.id)) this.sizes.set(c.id, { bytes, method: 'sandbox' });
        }
        results = r.costs;
      }
      const idByDef = new Map(g.relevant.map((c) => [c.definition, c.id]));
      let offset = 0;
      for (const s of g.statements) {
        const mine = results.slice(offset, offset + s.variants.length);
        offset += s.variants.length;
        const ok = mine.filter((r): r is { totalCost: number; usedIndexes: readonly string[] } => !(r instanceof Error));
        if (ok.length === 0) {
          const err = mine.find((r): r is Error => r instanceof Error);
          if (g.relevant.length === 0) this.failures.set(s.id, err?.message ?? 'could not be planned');
          out.set(s.id, null);
          continue;
        }
        const used = new Set<string>();
        const usedExisting = new Set<string>();
        for (const r of ok) {
          for (const name of r.usedIndexes) {
            const def = byName.get(name);
            const id = def === undefined ? undefined : idByDef.get(def);
            if (id !== undefined) used.add(id);
            else usedExisting.add(name);
          }
        }
        const evaluation: Evaluation = { cost: ok.reduce((a, r) => a + r.totalCost, 0) / ok.length, used, usedExisting, method: g.method };
        const list = this.cache.get(s.id) ?? [];
        list.push({ config: new Set(g.relevant.map((c) => c.id)), hide: g.hide.map((h) => h.oid).sort((a, b) => a - b).join(','), evaluation });
        this.cache.set(s.id, list);
        out.set(s.id, evaluation);
      }
    }
    return out;
  }

  /** Size of a candidate: HypoPG estimate, a sandbox build, or an estimate from pg_stats widths. */
  async size(c: Candidate): Promise<{ bytes: number; method: 'hypopg' | 'sandbox' | 'estimate' }> {
    const known = this.sizes.get(c.id);
    if (known !== undefined) return known;
    let result: { bytes: number; method: 'hypopg' | 'sandbox' | 'estimate' } | undefined;
    const { whatIf, sandbox } = this.deps;
    if (whatIf !== null && c.method === 'btree' && c.needsExtension === undefined) {
      try {
        result = { bytes: await whatIf.indexSize(c.definition), method: 'hypopg' };
      } catch (error) {
        this.candidateErrors.set(c.id, (error as Error).message);
      }
    }
    if (result === undefined && sandbox !== null && c.needsExtension === undefined && this.deps.sandboxAllowed(c.table)) {
      const r = await sandbox.costMany([], [c.definition]);
      const bytes = r.sizes[c.definition];
      if (bytes !== undefined) result = { bytes, method: 'sandbox' };
      const ms = r.buildMs[c.definition];
      if (ms !== undefined) this.buildMs.set(c.definition, Math.max(ms, this.buildMs.get(c.definition) ?? 0));
      const failed = r.failed[c.definition];
      if (failed !== undefined) this.candidateErrors.set(c.id, failed);
    }
    result ??= { bytes: estimateSize(c, this.deps.snapshot), method: 'estimate' };
    this.sizes.set(c.id, result);
    return result;
  }
}

/** Size from row count and average widths when nothing can measure it. */
export function estimateSize(c: Candidate, snapshot: Snapshot): number {
  const table = snapshot.tables.find((t) => t.qualifiedName === c.table);
  if (table === undefined) return 8192;
  let rows = tableRows(table);
  const m = c.predicate === null ? null : /^"?(\w+)"? = '(.*)'$/.exec(c.predicate);
  if (m !== null) rows *= equalitySelectivity(table, m[1] ?? '', (m[2] ?? '').replace(/''/g, "'")) ?? 0.1;
  else if (c.predicate !== null) rows *= 0.1;
  const width = c.keys.reduce((a, k) => a + avgWidth(table, k.expr), 0) + c.include.reduce((a, i) => a + avgWidth(table, i), 0);
  const align8 = (n: number): number => Math.ceil(n / 8) * 8;
  if (c.method === 'brin') return 8192 * Math.max(3, Math.ceil(table.pages / 128 / 500) + 2);
  if (c.method === 'gin') {
    const perRow = c.kind === 'gin-trigram' ? width * 1.5 + 8 : c.kind === 'gin-fts' ? width * 0.5 + 8 : 24;
    return Math.max(8192 * 2, Math.round(rows * perRow));
  }
  const pages = Math.ceil((rows * (align8(8 + width) + 4)) / (8192 * 0.9));
  return 8192 * (pages + Math.max(1, Math.ceil(pages / 200)) + 1);
}
