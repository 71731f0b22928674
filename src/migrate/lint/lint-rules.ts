import type { LintRule } from './lint-types.ts';
import { LEVEL_SEVERITY } from './lint-types.ts';
import { RULE_MODULES } from './rules/index.ts';

export type { LintRule } from './lint-types.ts';

/**
 * One deduplicated rule set: every squawk rule (ids kept so squawk users recognise them and
 * `-- squawk-ignore` comments keep working) plus the strong_migrations checks squawk lacks.
 * Each rule lives in its own module under rules/.
 */
export const LINT_RULES: readonly (LintRule & { readonly severity: ReturnType<typeof severityOf> })[] = RULE_MODULES.map((m) => ({ ...m.meta, severity: severityOf(m.meta) }));

function severityOf(rule: LintRule): (typeof LEVEL_SEVERITY)[keyof typeof LEVEL_SEVERITY] {
  return LEVEL_SEVERITY[rule.level];
}

const BY_ID = new Map(LINT_RULES.map((r) => [r.id, r]));
const ALIASES = new Map<string, string>();
for (const r of LINT_RULES) for (const s of r.squawk) if (!ALIASES.has(s)) ALIASES.set(s, r.id);

export function lintRule(id: string): (typeof LINT_RULES)[number] {
  const rule = BY_ID.get(id);
  if (rule === undefined) throw new Error(`unknown lint rule ${id}`);
  return rule;
}

/** Our rule ids for a name given by a user (ours or squawk's); empty when unknown. */
export function resolveRuleName(name: string): string[] {
  const n = name.trim().toLowerCase();
  if (n === 'require-timeout-settings') return ['require-lock-timeout', 'require-statement-timeout'];
  if (n === 'prefer-big-int') return ['prefer-bigint-over-int', 'prefer-bigint-over-smallint'];
  if (BY_ID.has(n)) return [n];
  const alias = ALIASES.get(n);
  return alias === undefined ? [] : [alias];
}

/** The README's rule table, generated from the rule modules (a test keeps the README in step). */
export function renderRuleTable(): string {
  const rows = [...LINT_RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => `| \`${r.id}\` | ${r.level} | ${r.title} | ${r.squawk.join(', ')} | ${r.strongMigrations ?? ''} |`);
  return ['| rule | level | what | squawk | strong_migrations |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
