import highsImport from 'highs';

interface HighsLike {
  solve(lp: string, options?: Record<string, unknown>): { Status: string; Columns: Record<string, { Primal?: number } | undefined> };
}
type Loader = () => Promise<HighsLike>;
// the package is CommonJS-typed; its ESM build exposes the loader as the default export
const highsLoader: Loader = (highsImport as unknown as { default?: Loader }).default ?? (highsImport as unknown as Loader);
import type { AdvisorStatement, Candidate } from './types.ts';

export interface PolishInput {
  readonly statements: readonly AdvisorStatement[];
  readonly candidates: readonly Candidate[];
  /** per candidate id: statement id → cost with that candidate alone */
  readonly singles: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly baseline: ReadonlyMap<string, number>;
  readonly sizeOf: (c: Candidate) => number;
  readonly writeCostOf: (c: Candidate) => number;
  readonly budgetBytes: number;
  readonly maxIndexes: number;
  readonly timeLimitSeconds: number;
}

export interface PolishResult {
  readonly chosen: Candidate[] | null;
  readonly status: string;
}

let loader: Promise<HighsLike> | null = null;

/**
 * Exact selection on the classic index-selection ILP (each statement picks at most one new
 * index, whose single-index cost is known): x_c chooses index c, y_qc says statement q uses it.
 * Solved with HiGHS within the time limit; the caller re-costs the answer jointly and keeps it
 * only when it beats the greedy configuration.
 */
export async function exactPolish(input: PolishInput): Promise<PolishResult> {
  const cands = input.candidates;
  if (cands.length === 0) return { chosen: null, status: 'no candidates' };
  const total = input.statements.reduce((a, s) => a + s.weight * (input.baseline.get(s.id) ?? 0), 0) || 1;
  const scale = (v: number): string => (v / total).toPrecision(12);
  const objective: string[] = [];
  const rows: string[] = [];
  const binaries: string[] = [];
  cands.forEach((c, i) => {
    binaries.push(`x${i}`);
    const w = input.writeCostOf(c);
    if (w > 0) objective.push(`+ ${scale(w)} x${i}`);
  });
  input.statements.forEach((s, q) => {
    const base = input.baseline.get(s.id);
    if (base === undefined) return;
    const options: string[] = [];
    cands.forEach((c, i) => {
      const cost = input.singles.get(c.id)?.get(s.id);
      if (cost === undefined || cost >= base) return;
      // savings form: minimise −Σ w (base − cost) y
      const saving = s.weight * (base - cost);
      objective.push(`- ${scale(saving)} y${q}_${i}`);
      binaries.push(`y${q}_${i}`);
      rows.push(` l${q}_${i}: y${q}_${i} - x${i} <= 0`);
      options.push(`y${q}_${i}`);
    });
    if (options.length > 0) rows.push(` one${q}: ${options.join(' + ')} <= 1`);
  });
  if (Number.isFinite(input.budgetBytes)) {
    const mb = cands.map((c, i) => `${(input.sizeOf(c) / 1048576).toPrecision(10)} x${i}`).join(' + ');
    rows.push(` budget: ${mb} <= ${(input.budgetBytes / 1048576).toPrecision(10)}`);
  }
  if (Number.isFinite(input.maxIndexes)) rows.push(` count: ${cands.map((_, i) => `x${i}`).join(' + ')} <= ${input.maxIndexes}`);
  if (rows.length === 0) return { chosen: null, status: 'no statement benefits' };
  const lp = ['Minimize', ` obj: ${objective.join(' ').replace(/^\+ /, '')}`, 'Subject To', ...rows, 'Binary', ` ${binaries.join(' ')}`, 'End'].join('\n');
  loader ??= highsLoader();
  const highs = await loader;
  const solution = highs.solve(lp, { output_flag: false, time_limit: Math.max(0.1, input.timeLimitSeconds), mip_rel_gap: 0 });
  if (solution.Status !== 'Optimal' && solution.Status !== 'Time limit reached') return { chosen: null, status: String(solution.Status) };
  const chosen = cands.filter((_, i) => (solution.Columns[`x${i}`]?.Primal ?? 0) > 0.5);
  return { chosen, status: solution.Status === 'Optimal' ? 'optimal' : 'time limit reached (best found)' };
}
