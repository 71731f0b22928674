import { writeFileSync } from 'node:fs';
import { ANALYZERS } from '../src/analyzers/registry.ts';
import { renderAnalyzerIndex } from '../src/engine/analyzer-docs.ts';
import { allRules, renderRuleReference } from '../src/rules/rule-reference.ts';

writeFileSync(new URL('../docs/analyzers.md', import.meta.url), renderAnalyzerIndex(ANALYZERS));
console.log(`docs/analyzers.md: ${ANALYZERS.length} analyzers`);
const rules = allRules();
writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRuleReference(rules));
console.log(`docs/rules.md: ${rules.length} rules`);
