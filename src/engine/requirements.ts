import type { Snapshot, Workload } from '../model/index.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import type { Requirements } from './analyzer.ts';

const EXTENSION_HINT: Readonly<Record<string, string>> = {
  pg_stat_statements: 'add pg_stat_statements to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements',
  hypopg: 'install HypoPG (Debian: apt-get install postgresql-NN-hypopg) and CREATE EXTENSION hypopg',
  pg_qualstats: 'install pg_qualstats, add it to shared_preload_libraries, restart, then CREATE EXTENSION pg_qualstats',
  pg_trgm: 'CREATE EXTENSION pg_trgm',
};

/** Why an analyzer cannot run here, or null when its requirements are met. */
export function unmetRequirement(
  requires: Requirements,
  inputs: { snapshot: Snapshot | null; workload: Workload | null; whatIf: WhatIfEngine | null; workloadReason?: string },
): string | null {
  const { snapshot } = inputs;
  if (requires.snapshot !== false && snapshot === null) return 'needs a live database (--db)';
  if (snapshot !== null) {
    if (requires.minVersion !== undefined && snapshot.server.versionNum < requires.minVersion) {
      return `needs PostgreSQL ${Math.floor(requires.minVersion / 10_000)} or later (server is ${snapshot.server.major})`;
    }
    for (const ext of requires.extensions ?? []) {
      const found = snapshot.extensions.find((e) => e.name === ext);
      if (found?.installedVersion === null || found === undefined) {
        return `extension ${ext} is not installed: ${EXTENSION_HINT[ext] ?? `CREATE EXTENSION ${ext}`}`;
      }
    }
    for (const p of requires.privileges ?? []) {
      if (p === 'superuser' && !snapshot.privileges.superuser) return 'needs a superuser role';
      if (p === 'stats' && !snapshot.privileges.canReadAllStats) {
        return `needs pg_read_all_stats: GRANT pg_read_all_stats TO ${snapshot.privileges.role}`;
      }
    }
  }
  if (requires.workload === true && (inputs.workload === null || inputs.workload.statements.length === 0)) {
    return inputs.workloadReason ?? 'needs a workload (pg_stat_statements, or --workload FILE.sql)';
  }
  if (requires.whatIf === true && inputs.whatIf === null) {
    return 'needs the what-if engine: install HypoPG on the server (CREATE EXTENSION hypopg)';
  }
  return null;
}
