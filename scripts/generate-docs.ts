import { writeFileSync } from 'node:fs';
import { ANALYZERS } from '../src/analyzers/registry.ts';
import { renderAnalyzerIndex } from '../src/engine/analyzer-docs.ts';

writeFileSync(new URL('../docs/analyzers.md', import.meta.url), renderAnalyzerIndex(ANALYZERS));
console.log(`docs/analyzers.md: ${ANALYZERS.length} analyzers`);
