import type { Snapshot } from '../model/index.ts';
import { humanSize } from './units.ts';

/** What the live server's statistics say about the workload, to check --workload against. */
export function observedShape(s: Snapshot): string {
  let reads = 0;
  let writes = 0;
  for (const t of s.tables) {
    const a = t.activity;
    if (a === null) continue;
    reads += a.seqTupRead + a.idxTupFetch;
    writes += a.nTupIns + a.nTupUpd + a.nTupDel;
  }
  const c = s.connections;
  const share = reads + writes === 0 ? null : Math.round((writes / (reads + writes)) * 1000) / 10;
  return (
    `observed on the server: ${share === null ? 'no table activity yet' : `${share} % of row operations are writes`}` +
    (c === null ? '' : `, ${c.total} of ${c.maxConnections} connections in use (${c.byState.active ?? 0} active)`) +
    (s.database === null ? '' : `, database ${humanSize(s.database.sizeBytes)}`)
  );
}
