import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { bytesScore, formatBytes, quoteIdent } from '../../../format/format.ts';
import { concurrentCreate } from '../../../format/index-definitions.ts';

export const invalidIndexes = defineAnalyzer({
  id: 'invalid-indexes',
  phase: 'profile',
  title: 'Invalid indexes',
  description: 'Indexes marked invalid (a failed or interrupted CREATE INDEX CONCURRENTLY / REINDEX CONCURRENTLY): never used by queries, yet still maintained on every write when ready.',
  depth: 1,
  requires: {},
  options: {},
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const index of snapshot.indexes) {
      if (index.isValid) continue;
      const leftover = /_ccnew\d*$|_ccold\d*$/.test(index.name);
      const cols = index.columns.map((c) => c.name).join(', ');
      const duplicateCheck = index.isUnique
        ? `SELECT ${cols}, count(*) FROM ${index.table} GROUP BY ${cols} HAVING count(*) > 1 LIMIT 20;`
        : null;
      const rebuild = index.isUnique
        ? `-- the build most likely failed on duplicate keys: find and fix them first\n${duplicateCheck}\nDROP INDEX CONCURRENTLY ${index.qualifiedName};\n${concurrentCreate(index)}`
        : leftover
          ? `-- leftover of an interrupted REINDEX CONCURRENTLY: drop it, the original index is still there\nDROP INDEX CONCURRENTLY ${index.qualifiedName};`
          : `REINDEX INDEX CONCURRENTLY ${index.qualifiedName};`;
      findings.push({
        rule: 'invalid-indexes',
        severity: 'warning',
        title: `Index ${index.qualifiedName} is invalid${index.isUnique ? ' (unique: its constraint is not enforced)' : ''}`,
        target: { kind: 'index', relation: index.table, index: index.qualifiedName },
        evidence: {
          index: index.qualifiedName,
          definition: index.definition,
          isValid: false,
          isReady: index.isReady,
          isUnique: index.isUnique,
          sizeBytes: index.sizeBytes,
          leftoverOfReindex: leftover,
        },
        impact: {
          score: bytesScore(index.sizeBytes) + 10,
          bytes: index.sizeBytes,
          summary: `${formatBytes(index.sizeBytes)} that queries cannot use${index.isReady ? ' but every write still maintains' : ''}`,
        },
        description:
          'A CREATE INDEX CONCURRENTLY that fails (duplicate key for a unique index, deadlock, cancel, lock timeout) leaves the index behind marked invalid. ' +
          'The planner never uses it' +
          (index.isUnique ? ', and uniqueness is not guaranteed for rows that the failed build did not check.' : '.'),
        fix: {
          kind: 'sql',
          content: rebuild,
          rollback: `-- nothing to roll back: the invalid index served no query\n-- to go back to the current state: DROP INDEX CONCURRENTLY ${quoteIdent(index.schema)}.${quoteIdent(index.name)};`,
          lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)',
          safety: index.isUnique ? 'review' : 'safe',
          verified: true,
          verification: 'catalog fact: pg_index.indisvalid is false',
        },
      });
    }
    return findings;
  },
});
