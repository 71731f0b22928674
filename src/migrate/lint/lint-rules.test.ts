import { describe, expect, it } from 'vitest';
import { lintMigration } from './lint-migration.ts';
import { RULE_MODULES } from './rules/index.ts';

/** Findings that fail the default exit code (reminders and info do not). */
async function failing(sql: string, pgVersion: number, file: string): Promise<string[]> {
  const r = await lintMigration(sql, { file, pgVersion });
  return r.violations.filter((v) => v.severity !== 'info').map((v) => `${v.rule}: ${v.message}`);
}

describe('lint rule modules', () => {
  it('every rule has metadata and at least one valid and one invalid case', () => {
    expect(RULE_MODULES.length).toBeGreaterThanOrEqual(46);
    expect(new Set(RULE_MODULES.map((m) => m.meta.id)).size).toBe(RULE_MODULES.length);
    for (const m of RULE_MODULES) {
      expect(m.valid.length, m.meta.id).toBeGreaterThan(0);
      expect(m.invalid.length, m.meta.id).toBeGreaterThan(0);
      expect(m.meta.why.length, m.meta.id).toBeGreaterThan(20);
    }
  });

  it.each(RULE_MODULES.map((m) => [m.meta.id, m] as const))('%s flags its invalid cases and not its valid ones', async (id, m) => {
    const pg = m.casesPgVersion ?? 17;
    for (const sql of m.invalid) {
      const r = await lintMigration(sql, { file: `${id}-invalid.sql`, pgVersion: pg });
      expect(r.violations.map((v) => v.rule), sql).toContain(id);
    }
    for (const sql of m.valid) {
      const r = await lintMigration(sql, { file: `${id}-valid.sql`, pgVersion: pg });
      expect(r.violations.map((v) => v.rule), sql).not.toContain(id);
    }
  });

  it('every recipe the lint prints parses and passes the lint itself', async () => {
    const problems: string[] = [];
    for (const m of RULE_MODULES) {
      const pg = m.casesPgVersion ?? 17;
      const recipes = new Set([m.meta.recipe]);
      for (const sql of m.invalid) for (const v of (await lintMigration(sql, { file: 'case.sql', pgVersion: pg })).violations) recipes.add(v.recipe);
      for (const recipe of recipes) {
        try {
          const fails = await failing(recipe, pg, 'recipe.sql');
          if (fails.length > 0) problems.push(`${m.meta.id} recipe:\n${recipe}\n→ ${fails.join('; ')}`);
        } catch (error) {
          problems.push(`${m.meta.id} recipe does not parse:\n${recipe}\n→ ${(error as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
