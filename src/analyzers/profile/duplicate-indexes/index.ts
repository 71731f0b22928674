import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Index } from '../../../model/index.ts';
import { bytesScore, formatBytes } from '../../../format/format.ts';
import { concurrentCreate, concurrentDrop, indexShapeKey } from '../../../format/index-definitions.ts';

/** Which of two identical indexes to keep: the one a constraint needs, then the most used, then the oldest name. */
function keepFirst(a: Index, b: Index): number {
  const need = (i: Index): number => (i.constraint !== null || i.isPrimary || i.isReplicaIdentity ? 1 : 0) + (i.isUnique ? 1 : 0);
  return need(b) - need(a) || b.scans - a.scans || a.oid - b.oid;
}

export const duplicateIndexes = defineAnalyzer({
  id: 'duplicate-indexes',
  phase: 'profile',
  title: 'Duplicate indexes',
  description: 'Indexes on the same table with the same method, columns, expressions, INCLUDE list and predicate.',
  depth: 1,
  requires: {},
  options: {},
  run({ snapshot }) {
    const groups = new Map<string, Index[]>();
    for (const index of snapshot.indexes) {
      if (!index.isValid) continue;
      const key = indexShapeKey(index);
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [index]);
      else list.push(index);
    }
    const findings: Finding[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const [keep, ...drops] = [...group].sort(keepFirst);
      if (keep === undefined) continue;
      for (const dup of drops) {
        // a duplicate that itself backs a constraint cannot simply be dropped
        const backsConstraint = dup.constraint !== null;
        findings.push({
          rule: 'duplicate-indexes',
          severity: 'warning',
          title: `Index ${dup.qualifiedName} duplicates ${keep.qualifiedName} (${formatBytes(dup.sizeBytes)} wasted)`,
          target: { kind: 'index', relation: dup.table, index: dup.qualifiedName },
          evidence: {
            duplicate: dup.qualifiedName,
            duplicateDefinition: dup.definition,
            kept: keep.qualifiedName,
            keptDefinition: keep.definition,
            sizeBytes: dup.sizeBytes,
            duplicateScans: dup.scans,
            keptScans: keep.scans,
            backsConstraint: dup.constraint,
          },
          impact: {
            score: bytesScore(dup.sizeBytes) + 1,
            bytes: dup.sizeBytes,
            summary: `frees ${formatBytes(dup.sizeBytes)} and halves the write cost of maintaining the same index twice`,
          },
          description: `Both indexes contain the same entries in the same order, so the planner can use ${keep.qualifiedName} wherever it used ${dup.qualifiedName}.`,
          fix: backsConstraint
            ? {
                kind: 'sql',
                content: `-- ${dup.qualifiedName} backs constraint ${dup.constraint}; drop the other copy instead, or move the constraint first\nDROP INDEX CONCURRENTLY ${keep.qualifiedName};`,
                rollback: concurrentCreate(keep),
                lockLevel: 'SHARE UPDATE EXCLUSIVE',
                safety: 'review',
                verified: false,
              }
            : {
                kind: 'sql',
                content: concurrentDrop(dup),
                rollback: concurrentCreate(dup),
                lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)',
                safety: 'safe',
                verified: true,
                verification: 'catalog fact: the kept index has the same table, method, key columns, INCLUDE list and predicate',
              },
        });
      }
    }
    return findings;
  },
});
