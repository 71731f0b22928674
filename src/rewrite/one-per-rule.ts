/**
 * One finding per rule and statement: a rule may offer several forms of the same rewrite (EXISTS
 * and JOIN, grouped join and window). The report keeps the best — verified first, then the lowest
 * planner cost after — and counts the others, instead of listing the same advice twice.
 */
export function onePerRule<T extends { readonly rule: string }>(items: readonly T[], rank: (item: T) => readonly number[]): { readonly item: T; readonly alternatives: number }[] {
  const best = new Map<string, { item: T; alternatives: number; key: readonly number[] }>();
  for (const item of items) {
    const key = rank(item);
    const seen = best.get(item.rule);
    if (seen === undefined) {
      best.set(item.rule, { item, alternatives: 0, key });
      continue;
    }
    seen.alternatives++;
    if (lexicallyLess(key, seen.key)) {
      seen.item = item;
      seen.key = key;
    }
  }
  return [...best.values()].map(({ item, alternatives }) => ({ item, alternatives }));
}

function lexicallyLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
