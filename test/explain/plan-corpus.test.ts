import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../src/explain/index.ts';
import type { PlanAnalysis } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { autoExplainJsonLog, autoExplainLog, CORPUS_DIR, corpusPlans, psqlAligned, psqlBordered, psqlExpanded, psqlJson } from './corpus.ts';

beforeAll(async () => {
  await initSqlParser();
});

const plans = corpusPlans();

function rulesOf(a: PlanAnalysis): string[] {
  return [...new Set(a.findings.map((f) => f.rule))].sort();
}

/**
 * Structure that must not depend on the input format (times differ: JSON and text are separate
 * runs). Statements that write leave dead rows behind even when rolled back, so the second run's
 * estimates differ: their costs are left out.
 */
function shape(a: PlanAnalysis, withCosts = true): string[] {
  return a.plan.nodes.map((n) =>
    [n.path, n.node.nodeType, n.node.joinType, n.node.strategy, n.node.relationName, n.node.alias, n.node.indexName, n.node.cteName, n.node.subplanName, n.node.parentRelationship, n.node.filter, n.node.indexCond, n.node.sortKey.join('|'), n.node.groupKey.join('|'), ...(withCosts ? [n.node.planRows, n.node.totalCost] : [])].join(' ¦ '),
  );
}

function findingKeys(a: PlanAnalysis): string[] {
  return a.findings.map((f) => `${f.rule}@${f.target.nodePath ?? ''}`).sort();
}

describe('plan corpus (real plans from PostgreSQL 15 and 18)', () => {
  it('holds at least 40 captured plans from both servers', () => {
    expect(plans.length).toBeGreaterThanOrEqual(40);
    expect(new Set(plans.map((p) => p.version))).toEqual(new Set(['pg15', 'pg18']));
  });

  for (const p of plans) {
    describe(p.id, () => {
      const parsed: { json?: PlanAnalysis; text?: PlanAnalysis } = {};
      beforeAll(() => {
        parsed.json = analyzePlan(p.json, { sql: p.scenario.sql });
        parsed.text = analyzePlan(p.text, { sql: p.scenario.sql });
      });

      it('produces the findings it must, and none it must not (JSON and text)', () => {
        for (const a of [parsed.json, parsed.text]) {
          const rules = rulesOf(a as PlanAnalysis);
          for (const r of p.scenario.must) expect(rules, `${p.id} must produce ${r}`).toContain(r);
          for (const r of p.scenario.mustNot) expect(rules, `${p.id} must not produce ${r}`).not.toContain(r);
        }
      });

      it('yields the same plan structure and findings from JSON and text', () => {
        const j = parsed.json as PlanAnalysis;
        const t = parsed.text as PlanAnalysis;
        expect(t.plan.plan.format).toBe('text');
        expect(j.plan.plan.format).toBe('json');
        expect(shape(t, p.scenario.writes !== true)).toEqual(shape(j, p.scenario.writes !== true));
        expect(findingKeys(t)).toEqual(findingKeys(j));
        expect(t.plan.plan.triggers.map((x) => x.constraintName ?? x.name)).toEqual(j.plan.plan.triggers.map((x) => x.constraintName ?? x.name));
        expect(t.plan.plan.jit === null).toBe(j.plan.plan.jit === null);
        expect(Object.keys(t.plan.plan.settings).sort()).toEqual(Object.keys(j.plan.plan.settings).sort());
      });

      it('reads the text through psql framings and auto_explain lines to the same plan', () => {
        const t = parsed.text as PlanAnalysis;
        const variants = [psqlAligned(p.text), psqlBordered(p.text, true), psqlBordered(p.text, false), psqlExpanded(p.text), autoExplainLog(p.text, p.scenario.sql)];
        for (const v of variants) {
          const a = analyzePlan(v);
          expect(shape(a)).toEqual(shape(t));
          expect(a.plan.plan.executionTimeMs).toBe(t.plan.plan.executionTimeMs);
          expect(findingKeys(analyzePlan(v, { sql: p.scenario.sql }))).toEqual(findingKeys(t));
        }
        const logged = analyzePlan(autoExplainLog(p.text, p.scenario.sql)).plan.plan;
        expect(logged.loggedDurationMs).toBe(1234.567);
        expect(logged.queryText).toBe(p.scenario.sql);
      });

      it('reads the JSON through psql "+" continuations and as a bare object', () => {
        const j = parsed.json as PlanAnalysis;
        expect(shape(analyzePlan(psqlJson(p.json)))).toEqual(shape(j));
        const obj = JSON.stringify((JSON.parse(p.json) as unknown[])[0]);
        expect(shape(analyzePlan(obj))).toEqual(shape(j));
        const logged = analyzePlan(autoExplainJsonLog(p.json, p.scenario.sql));
        expect(shape(logged)).toEqual(shape(j));
        expect(logged.plan.plan.queryText).toBe(p.scenario.sql);
        expect(logged.plan.plan.loggedDurationMs).toBe(99.5);
      });
    });
  }

  it('reads real psql output (aligned, ascii and unicode borders, JSON with "+") like the plain capture', () => {
    const files = ['pg15', 'pg18'].flatMap((v) => (existsSync(`${CORPUS_DIR}${v}/psql/`) ? readdirSync(`${CORPUS_DIR}${v}/psql/`).map((f) => `${v}/psql/${f}`) : []));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const path of files) {
      const [version = '', , f = ''] = path.split('/');
      const name = f.split('.')[0] as string;
      const dir = `${CORPUS_DIR}${version}/psql/`;
      const original = analyzePlan(readFileSync(`${CORPUS_DIR}${version}/${name}.json`, 'utf8'));
      const framed = analyzePlan(readFileSync(`${dir}${f}`, 'utf8'));
      expect(framed.plan.nodes.map((n) => `${n.path} ${n.node.nodeType} ${n.node.relationName}`), f).toEqual(
        original.plan.nodes.map((n) => `${n.path} ${n.node.nodeType} ${n.node.relationName}`),
      );
      expect(framed.plan.plan.executionTimeMs, f).not.toBeNull();
      expect(framed.findings.map((x) => x.rule).sort(), f).toEqual(original.findings.map((x) => x.rule).sort());
    }
  });
});
