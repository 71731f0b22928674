import type { Candidate } from './types.ts';

/** Where selection stops adding indexes: below these, another index costs more trust (storage, writes, plans) than it saves. */
export interface KneeOptions {
  /** a further index must save (net of its writes) at least this fraction of the workload's remaining cost */
  readonly minMarginalGain: number;
  /** … and at least this fraction per MiB it adds (a 100 MiB index must save 100 × this) */
  readonly minGainPerMb: number;
  /** read cost it saves per unit of write cost it adds */
  readonly minGainPerWrite: number;
  /** two configurations whose costs differ by less than this fraction tie: the narrower wins */
  readonly tieTolerance: number;
}

export const DEFAULT_KNEE_OPTIONS: KneeOptions = { minMarginalGain: 0.0025, minGainPerMb: 0.0002, minGainPerWrite: 2, tieTolerance: 0.01 };

export interface Move {
  /** read cost saved per day */
  readonly saved: number;
  /** write cost added per day */
  readonly write: number;
  readonly bytes: number;
}

/** Why a move is below the knee, or null when it is worth taking. */
export function belowKnee(m: Move, remainingCost: number, k: KneeOptions): string | null {
  const net = m.saved - m.write;
  if (remainingCost <= 0) return null;
  const share = net / remainingCost;
  if (share < k.minMarginalGain) return `saves ${(share * 100).toFixed(2)} % of the remaining workload cost, under the ${(k.minMarginalGain * 100).toFixed(1)} % knee (minMarginalGain)`;
  const mb = m.bytes / 1048576;
  if (share < k.minGainPerMb * mb) return `saves ${(share * 100).toFixed(2)} % of the remaining cost for ${mb.toFixed(1)} MiB, under ${(k.minGainPerMb * 100).toFixed(2)} % per MiB (minGainPerMb)`;
  if (m.write > 0 && m.saved < k.minGainPerWrite * m.write) return `saves ${(m.saved / m.write).toFixed(2)}× its write cost, under ${k.minGainPerWrite}× (minGainPerWrite)`;
  return null;
}

function sameKeys(a: Candidate, b: Candidate): boolean {
  if (a.keys.length !== b.keys.length || !a.keys.every((k, i) => k.expr === b.keys[i]?.expr && k.opclass === b.keys[i]?.opclass)) return false;
  const same = a.keys.every((k, i) => k.desc === b.keys[i]?.desc);
  // a btree scans backwards: (x, y DESC) serves the same orders as (x DESC, y)
  const flipped = a.keys.every((k, i) => k.desc !== b.keys[i]?.desc);
  return same || flipped;
}

/**
 * Two indexes that serve the same lookups on the same table: ASC and DESC of the same key list,
 * the same keys with and without INCLUDE, or BRIN beside a btree leading on the same column.
 */
export function twins(a: Candidate, b: Candidate): boolean {
  if (a.id === b.id || a.table !== b.table || a.predicate !== b.predicate) return false;
  if (a.method === 'btree' && b.method === 'btree') return sameKeys(a, b);
  const [brin, btree] = a.method === 'brin' ? [a, b] : [b, a];
  return brin.method === 'brin' && btree.method === 'btree' && btree.keys[0]?.expr === brin.keys[0]?.expr;
}

/** b stores a subset of what a stores, in the same leading order: a candidate to try instead of a */
export function narrowerThan(b: Candidate, a: Candidate): boolean {
  if (a.id === b.id || a.table !== b.table || a.method !== b.method || a.predicate !== b.predicate) return false;
  if (b.keys.length > a.keys.length || !b.keys.every((k, i) => k.expr === a.keys[i]?.expr)) return false;
  const stored = new Set([...a.keys.map((k) => k.expr), ...a.include]);
  const width = b.keys.length + b.include.length;
  return b.include.every((c) => stored.has(c)) && width < a.keys.length + a.include.length;
}
