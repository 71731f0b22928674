import type { Fix, HeldBackFinding, PlanAction, Problem, Report, ScorecardEntry } from '../../model/index.ts';
import { formatDuration, formatMs } from '../../format/format.ts';
import { el, esc } from './html-escape.ts';

const isArray = (v: unknown): v is readonly unknown[] => Array.isArray(v);

/** The optional issue-18 sections, read defensively: a report from an older version has none of them. */
export function reportExtras(report: Report): {
  scorecard: readonly ScorecardEntry[] | null;
  problems: readonly Problem[] | null;
  actions: readonly PlanAction[] | null;
  heldBack: readonly HeldBackFinding[] | null;
  actionsMigration: string | null;
} {
  return {
    scorecard: isArray(report.scorecard) && report.scorecard.length > 0 ? report.scorecard : null,
    problems: isArray(report.problems) && report.problems.length > 0 ? report.problems : null,
    actions: isArray(report.actions) && report.actions.length > 0 ? report.actions : null,
    heldBack: isArray(report.heldBack) && report.heldBack.length > 0 ? report.heldBack : null,
    actionsMigration: typeof report.actionsMigration === 'string' && report.actionsMigration.trim() !== '' ? report.actionsMigration : null,
  };
}

const section = (id: string, title: string, ...body: readonly string[]): string => el('section', { id, 'aria-labelledby': `${id}-h` }, el('h2', { id: `${id}-h` }, esc(title)), ...body);

export function verdict(pass: boolean | null): string {
  const [cls, text] = pass === true ? ['pass', 'pass'] : pass === false ? ['fail', 'fail'] : ['unknown', 'unknown'];
  return el('span', { class: `sev ${cls}` }, text);
}

function metricValue(s: ScorecardEntry): string {
  if (s.value === null) return '—';
  if (s.unit === 'ms') return formatMs(s.value);
  if (s.unit === '%') return `${s.value.toFixed(1)} %`;
  return String(s.value);
}

/** The seed's target metrics first: value, target, pass / fail / unknown with why. */
export function scorecardSection(scorecard: readonly ScorecardEntry[]): string {
  const cards = scorecard.map((s) =>
    el(
      'div',
      { class: 'card', 'data-metric': s.metric },
      el('div', {}, esc(s.label)),
      el('div', { class: 'value' }, esc(metricValue(s)), ' ', verdict(s.pass)),
      el('div', { class: 'why' }, `target ${esc(s.target)}`),
      s.why === undefined ? '' : el('div', { class: 'why' }, esc(s.why)),
    ),
  );
  return section('scorecard', 'Scorecard', el('div', { class: 'cards' }, ...cards));
}

export function fixBlock(fix: Pick<Fix, 'kind' | 'content' | 'verified'> & Partial<Pick<Fix, 'safety' | 'rollback' | 'lockLevel' | 'verification'>>): string {
  const facts = [fix.kind, fix.safety, fix.verified ? 'verified' : 'unverified', fix.lockLevel === undefined ? undefined : `lock: ${fix.lockLevel}`].filter((x) => x !== undefined);
  return [
    el('div', {}, el('strong', {}, 'Fix'), ` (${esc(facts.join(', '))})`),
    el('pre', {}, el('code', {}, esc(fix.content))),
    fix.rollback === undefined ? '' : el('div', {}, 'Rollback:') + el('pre', {}, el('code', {}, esc(fix.rollback))),
    fix.verification === undefined ? '' : el('div', { class: 'gain' }, el('em', {}, esc(fix.verification))),
  ].join('');
}

const saving = (ms: number | null): string => (ms === null ? 'saving not estimated' : `saves ~${formatMs(ms)} of database time a day`);

/** "Do these first": at most five actions; the index and schema ones as one copy-paste migration. */
export function actionsSection(actions: readonly PlanAction[], migration: string | null): string {
  const inMigration = (a: PlanAction): boolean => migration !== null && (a.category === 'index' || a.category === 'schema');
  const items = actions.map((a) =>
    el(
      'li',
      {},
      el('h3', {}, esc(a.title)),
      el('div', { class: 'gain' }, esc(`${saving(a.estimatedSavingMsPerDay)} · ${a.verified ? 'verified' : 'unverified'}${inMigration(a) ? ' · in the migration below' : ''}`)),
      inMigration(a) ? '' : fixBlock({ kind: a.kind, content: a.content, verified: a.verified, ...(a.rollback === undefined ? {} : { rollback: a.rollback }) }),
    ),
  );
  const script = migration === null ? '' : el('div', { id: 'actions-migration' }, el('h3', {}, 'Migration (the index and schema actions)'), el('pre', {}, el('code', {}, esc(migration.trimEnd()))));
  return section('actions', 'Do these first', el('ol', { class: 'problems' }, ...items), script);
}

/** Problems grouped by root cause, in rank order, each linking to its findings. */
export function problemsSection(problems: readonly Problem[], findingCount: number): string {
  const items = [...problems]
    .sort((a, b) => a.rank - b.rank)
    .map((p) => {
      const links = p.findings.filter((i) => Number.isInteger(i) && i >= 0 && i < findingCount).map((i) => el('a', { href: `#f-${i + 1}` }, `#${i + 1}`));
      return el(
        'li',
        { 'data-problem': p.id },
        el('h3', {}, `${esc(p.rank)}. `, el('span', { class: `sev sev-${p.severity}` }, esc(p.severity)), ' ', esc(p.title)),
        el('div', { class: 'gain' }, esc(p.gain !== '' ? p.gain : saving(p.estimatedSavingMsPerDay))),
        links.length === 0 ? '' : el('div', {}, 'Evidence: findings ', links.join(', ')),
        p.fix === null ? el('div', { class: 'gain' }, 'No verified fix yet.') : fixBlock(p.fix),
      );
    });
  return section('problems', 'Problems by root cause', el('ol', { class: 'problems' }, ...items));
}

/** Findings that need more history than the statistics cover: one line each saying so. */
export function heldBackSection(held: readonly HeldBackFinding[]): string {
  const items = held.map((h) =>
    el('li', {}, el('code', {}, esc(h.rule)), `: ${esc(h.title)} — statistics cover ${esc(h.windowSeconds === null ? 'an unknown time' : formatDuration(h.windowSeconds))}, it needs ${esc(formatDuration(h.requiredSeconds))} (`, el('code', {}, esc(h.option)), ')'),
  );
  return section('held-back', 'Held back until the statistics are older', el('ul', {}, ...items));
}
