import type { Finding, HeldBackFinding } from '../model/index.ts';

/** Splits off findings whose statistics cover less time than their option asks for. */
export function holdBack(findings: readonly Finding[]): { kept: Finding[]; heldBack: HeldBackFinding[] } {
  const kept: Finding[] = [];
  const heldBack: HeldBackFinding[] = [];
  for (const f of findings) {
    const h = f.history;
    if (h?.requiredSeconds !== undefined && h.option !== undefined && (h.windowSeconds === null || h.windowSeconds < h.requiredSeconds)) {
      heldBack.push({ rule: f.rule, title: f.title, windowSeconds: h.windowSeconds, requiredSeconds: h.requiredSeconds, option: h.option });
    } else kept.push(f);
  }
  return { kept, heldBack };
}
