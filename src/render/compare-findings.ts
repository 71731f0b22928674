import type { Finding } from '../model/index.ts';
import { SEVERITY_RANK } from '../model/index.ts';

/** Report order: severity, then estimated gain, then rule and title so the order is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    b.impact.score - a.impact.score ||
    a.rule.localeCompare(b.rule) ||
    a.title.localeCompare(b.title)
  );
}
