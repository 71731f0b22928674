/**
 * Parse + enrich (+ tips, + tree rendering) of a generated 10,000-node plan, JSON and text.
 * Run: npx tsx bench/explain-parse/bench.ts [nodes]
 * Peer: pev2 (npm) only exports its Vue component, not its PlanService parser, so it cannot be
 * driven headless; JSON.parse of the same document is printed as the floor for the JSON path.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyzePlan, enrichPlan, parsePlan, renderPlanTree } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { VERSION } from '../../src/version.ts';
import { generatePlan } from './generate-plan.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function time(runs: number, fn: () => unknown): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  return median(t);
}

await initSqlParser();
const size = Number(process.argv[2] ?? 10_000);
const plan = generatePlan(size);
const runs = 9;
const jsonParse = time(runs, () => JSON.parse(plan.json));
const parseJson = time(runs, () => parsePlan(plan.json));
const parseText = time(runs, () => parsePlan(plan.text));
const parsed = parsePlan(plan.json);
const enrich = time(runs, () => enrichPlan(parsed));
const parseEnrichJson = time(runs, () => enrichPlan(parsePlan(plan.json)));
const parseEnrichText = time(runs, () => enrichPlan(parsePlan(plan.text)));
const full = time(runs, () => analyzePlan(plan.json));
const fullText = time(runs, () => analyzePlan(plan.text));
const analysis = analyzePlan(plan.json);
const tree = time(runs, () => renderPlanTree(analysis.plan, analysis.findings, 80));

const row = (label: string, ms: number, extra = ''): string => `${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${extra}`;
console.log(`db-optimize ${VERSION} · node ${process.version} · ${cpus()[0]?.model ?? '?'} ×${cpus().length} · plan of ${plan.nodes} nodes (${Math.round(plan.json.length / 1024)} kB JSON, ${Math.round(plan.text.length / 1024)} kB text) · median of ${runs}`);
console.log(row('JSON.parse alone (floor for the JSON path)', jsonParse));
console.log(row('parsePlan JSON', parseJson, `${(parseJson / jsonParse).toFixed(1)}× JSON.parse`));
console.log(row('parsePlan text', parseText));
console.log(row('enrichPlan', enrich));
console.log(row('parse + enrich (JSON)  — the issue\'s goal: < 1 s', parseEnrichJson));
console.log(row('parse + enrich (text)', parseEnrichText));
console.log(row('parse + enrich + 15 tips (JSON)', full, `${analysis.findings.length} findings`));
console.log(row('parse + enrich + 15 tips (text)', fullText));
console.log(row('render annotated tree', tree));
console.log('pev2 (npm 1.21.0): exports only its Vue <Plan> component; its parser is not public API, so no side-by-side figure.');
