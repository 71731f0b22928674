import type { RuleDefinition } from '../model/index.ts';
import { DEFAULT_THRESHOLDS } from './detect/analyze-unit.ts';
import { TITLES } from './n1-findings.ts';

const options = [
  { name: 'minRepeats', default: DEFAULT_THRESHOLDS.minRepeats, description: 'repetitions in one request/transaction to flag (--min-repeats)' },
  { name: 'minTimeMs', default: DEFAULT_THRESHOLDS.minTimeMs, description: 'total time of those repetitions to flag, in ms (--min-time)' },
];
const severityNote = 'critical at 50+ per unit or 500+ ms; warning otherwise (info for identical repeats)';
const DESCRIPTIONS: Record<keyof typeof TITLES, string> = {
  'n1-query': 'One statement repeated once per row of an earlier result, varying only in its key: batch it (IN / ANY) or eager-load.',
  'n1-fan-out': 'The N+1 statements run concurrently: each request holds that many pool connections.',
  'n1-repeating-group': 'A group of statements repeated per row (MN+1).',
  'n1-repeated-identical': 'The same statement with the same parameters, repeated: a cache candidate.',
  'n1-row-by-row-insert': 'One INSERT per row where one multi-row INSERT or COPY would do.',
};

/** The findings of `db-optimize n1`. */
export const N1_RULES: readonly RuleDefinition[] = [
  ...(Object.keys(TITLES) as (keyof typeof TITLES)[]).map((id) => ({
    id,
    kind: 'n1' as const,
    title: TITLES[id],
    description: DESCRIPTIONS[id],
    severity: 'varies' as const,
    severityNote,
    options,
    command: 'n1',
    docs: 'src/n1/README.md',
  })),
  {
    id: 'n1-no-pooling',
    kind: 'n1',
    title: 'A new database connection for every request (no connection pool)',
    description: 'Each unit of work opens its own connection.',
    severity: 'warning',
    command: 'n1',
    docs: 'src/n1/no-pooling.ts',
  },
];
