import type { Finding, Report } from '../model/index.ts';

export interface RenderedGroup {
  readonly title: string;
  readonly findings: readonly Finding[];
}

/**
 * Findings split by the report's optional `groups` hint ({id, title, rules}, e.g. profile's
 * Query profiler / Index scanner / Database health); rules no group names go to a last
 * "Other findings" group. null when the report has no groups: renderers keep their flat list.
 */
export function findingGroups(report: Report): RenderedGroup[] | null {
  const hint = report.groups;
  if (!Array.isArray(hint)) return null;
  const out: { title: string; rules: Set<string>; findings: Finding[] }[] = [];
  for (const g of hint as unknown[]) {
    const { title, rules } = (g ?? {}) as { title?: unknown; rules?: unknown };
    if (typeof title === 'string' && Array.isArray(rules)) out.push({ title, rules: new Set(rules.map(String)), findings: [] });
  }
  const other = { title: 'Other findings', rules: new Set<string>(), findings: [] as Finding[] };
  for (const f of report.findings) (out.find((g) => g.rules.has(f.rule)) ?? other).findings.push(f);
  return [...out, other].filter((g) => g.findings.length > 0);
}
