import type { Finding, Problem, ProblemFix, ProblemKind, Severity, WorkloadStatement } from '../model/index.ts';
import { SEVERITY_RANK } from '../model/index.ts';
import { formatMs, percent } from '../format/format.ts';
import { chooseFix, fixSavingMsPerDay } from './choose-fix.ts';
import { COLUMN_READ_RULES, evidenceFingerprints, ownKey, READ_PATH_RULES, RISK_RULES } from './problem-keys.ts';

export interface GroupProblemsInput {
  /** the report's findings, in report order (problem `findings` are indices into this list) */
  readonly findings: readonly Finding[];
  /** the workload's statements, to title statement problems and attach table findings to their readers */
  readonly statements?: readonly WorkloadStatement[];
  /** partition → parent table (a partition's findings belong to its parent); identity when unknown */
  readonly parentOf?: (relation: string) => string;
  /** tables a statement touches (qualified names, parents for partitions) and the columns it filters on */
  readonly statementTables?: (statement: WorkloadStatement) => readonly string[];
  readonly statementFilterColumns?: (statement: WorkloadStatement) => readonly string[];
  /** the workload's database time per day, to turn a fix's share of the workload into time */
  readonly workloadMsPerDay?: number | null;
}

interface Group {
  key: string;
  kind: ProblemKind;
  members: number[];
}

const msPerDayOf = (f: Finding): number => f.impact.msPerDay ?? 0;

/** One-line statement text for a title. */
function shortText(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * Groups findings by root cause: a statement (its fingerprint or queryid, and the fingerprints its
 * index or rewrite findings name), else an index, a table (partitions under their parent), a
 * setting topic or the database. A table finding about how the table is read (sequential scans)
 * joins the statement problem that spends the most time on that table.
 */
export function groupProblems(input: GroupProblemsInput): Problem[] {
  const { findings } = input;
  const parentOf = input.parentOf ?? ((r: string) => r);
  const statements = input.statements ?? [];
  const byFingerprint = new Map<string, WorkloadStatement>();
  const fingerprintOfQueryId = new Map<string, string>();
  for (const s of statements) {
    if (s.fingerprint === null) continue;
    if (!byFingerprint.has(s.fingerprint)) byFingerprint.set(s.fingerprint, s);
    if (s.queryId !== undefined) fingerprintOfQueryId.set(s.queryId, s.fingerprint);
  }
  const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);

  // the statement a finding is about: its own target first, then the most expensive one its evidence names
  const statementOf = (f: Finding): string | null => {
    const t = f.target;
    if (t.fingerprint !== undefined) return t.fingerprint;
    if (t.queryId !== undefined) return fingerprintOfQueryId.get(t.queryId) ?? `queryid:${t.queryId}`;
    // a ranking is about its #1 statement
    if (f.rule === 'statement-rankings') return evidenceFingerprints(f).find((fp) => byFingerprint.has(fp)) ?? null;
    if (READ_PATH_RULES.has(f.rule) || f.rule === 'slow-statements' || f.fix?.kind === 'code') return null;
    if (t.kind !== 'index' && t.kind !== 'statement') return null;
    const named = evidenceFingerprints(f).filter((fp) => byFingerprint.has(fp));
    if (named.length === 0) return null;
    return named.sort((a, b) => (byFingerprint.get(b)?.totalTimeMs ?? 0) - (byFingerprint.get(a)?.totalTimeMs ?? 0))[0] ?? null;
  };

  const groups = new Map<string, Group>();
  const add = (key: string, kind: ProblemKind, i: number): void => {
    const g = groups.get(key) ?? { key, kind, members: [] };
    g.members.push(i);
    groups.set(key, g);
  };
  const deferred: number[] = [];
  findings.forEach((f, i) => {
    const fp = statementOf(f);
    if (fp !== null) add(`statement:${fp}`, 'statement', i);
    else if (READ_PATH_RULES.has(f.rule) || (COLUMN_READ_RULES.has(f.rule) && f.target.column !== undefined)) deferred.push(i);
    else {
      const key = ownKey(f, parentOf);
      add(key, key.split(':')[0] as ProblemKind, i);
    }
  });
  // sequential scans on a table: the statement problem that reads it most, else the table's own problem
  for (const i of deferred) {
    const f = findings[i] as Finding;
    const table = f.target.relation === undefined ? undefined : parentOf(f.target.relation);
    // a missing FK index is the root cause of the statement that filters on that column
    const column = COLUMN_READ_RULES.has(f.rule) ? f.target.column : undefined;
    const readers = [...groups.values()]
      .filter((g) => g.kind === 'statement')
      .map((g) => ({ g, s: byFingerprint.get(g.key.slice('statement:'.length)) }))
      .filter((x) => x.s !== undefined && table !== undefined && (input.statementTables?.(x.s) ?? []).includes(table))
      .filter((x) => column === undefined || (x.s !== undefined && (input.statementFilterColumns?.(x.s) ?? []).includes(column)))
      .sort((a, b) => (b.s?.totalTimeMs ?? 0) - (a.s?.totalTimeMs ?? 0));
    const reader = readers[0];
    if (reader !== undefined) reader.g.members.push(i);
    else add(ownKey(f, parentOf), 'table', i);
  }

  const perDay = input.workloadMsPerDay ?? null;
  const problems = [...groups.values()].map((g) => toProblem(g, findings, byFingerprint, total, perDay));
  problems.sort(compareProblems);
  return problems.map((p, k) => ({ ...p, rank: k + 1 }));
}

function toProblem(g: Group, findings: readonly Finding[], byFingerprint: ReadonlyMap<string, WorkloadStatement>, total: number, perDay: number | null): Problem {
  const members = [...new Set(g.members)].sort((a, b) => a - b);
  const list = members.map((i) => findings[i] as Finding);
  const severity = list.reduce<Severity>((s, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[s] ? f.severity : s), 'info');
  const fix: ProblemFix | null = chooseFix(members, findings, perDay);
  const fixFinding = fix === null ? undefined : findings[fix.finding];
  // what acting on it saves: the chosen fix's estimate; a problem without a fix saves nothing we can promise
  const saving = fixFinding === undefined ? 0 : fixSavingMsPerDay(fixFinding, perDay);
  const risk = list.some((f) => RISK_RULES.has(f.rule)) && list.every((f) => RISK_RULES.has(f.rule) || f.impact.msPerDay === undefined);
  const lead = list.reduce((best, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[best.severity] || (f.severity === best.severity && f.impact.score > best.impact.score) ? f : best));
  const fp = g.kind === 'statement' ? g.key.slice('statement:'.length) : undefined;
  const statement = fp === undefined ? undefined : byFingerprint.get(fp);
  const title =
    statement !== undefined
      ? `${shortText(statement.text)} — ${total > 0 ? `${percent(statement.totalTimeMs / total)} of database time, ` : ''}${formatMs(statement.meanTimeMs)} a call`
      : lead.title;
  const t = lead.target;
  const target = {
    kind: g.kind === 'statement' ? ('statement' as const) : t.kind,
    ...(fp === undefined || fp.startsWith('queryid:') ? {} : { fingerprint: fp }),
    ...(statement?.queryId !== undefined ? { queryId: statement.queryId } : t.queryId !== undefined ? { queryId: t.queryId } : {}),
    ...(t.relation === undefined ? {} : { relation: t.relation }),
    ...(t.index === undefined || g.kind === 'statement' ? {} : { index: t.index }),
    ...(t.setting === undefined ? {} : { setting: t.setting }),
  };
  const ordered = [...members].sort((a, b) => {
    const x = findings[a] as Finding;
    const y = findings[b] as Finding;
    return SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || msPerDayOf(y) - msPerDayOf(x) || y.impact.score - x.impact.score || a - b;
  });
  return {
    id: g.key,
    rank: 0,
    title,
    estimatedSavingMsPerDay: saving > 0 ? Math.round(saving) : null,
    findings: ordered,
    fix,
    kind: g.kind,
    severity,
    ranking: risk ? 'risk' : 'time',
    target,
    gain: gainText(saving, total, risk, lead, fixFinding),
  };
}

function gainText(saving: number, total: number, risk: boolean, lead: Finding, fixFinding: Finding | undefined): string {
  if (saving > 0) {
    const share = total > 0 && fixFinding?.impact.workloadShare !== undefined ? ` (${percent(fixFinding.impact.workloadShare)} of the workload)` : '';
    return `saves ~${formatMs(saving)} of database time a day${share}`;
  }
  if (risk) return `removes a risk: ${lead.impact.summary}`;
  return (fixFinding ?? lead).impact.summary;
}

/** Critical risks first (wraparound, overflow); then time saved per day; then severity and score. */
function riskTier(p: Problem): number {
  if (p.ranking === 'risk' && p.severity === 'critical') return 0;
  if ((p.estimatedSavingMsPerDay ?? 0) > 0) return 1;
  return 2;
}

function compareProblems(a: Problem, b: Problem): number {
  return (
    riskTier(a) - riskTier(b) ||
    (b.estimatedSavingMsPerDay ?? 0) - (a.estimatedSavingMsPerDay ?? 0) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (b.fix?.verified === true ? 1 : 0) - (a.fix?.verified === true ? 1 : 0) ||
    a.id.localeCompare(b.id)
  );
}
