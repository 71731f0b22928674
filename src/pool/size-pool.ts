import type { StorageType } from '../config/hardware.ts';
import { humanSize } from '../config/units.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { IDLE_BACKEND_BYTES } from './connection-profile.ts';

export interface FleetInput {
  readonly appInstances: number;
  /** instances during a rolling deploy or autoscaling peak; default instances × (1 + surge) */
  readonly maxInstances: number | null;
  readonly surgePercent: number;
  /** current per-instance pool, when known */
  readonly poolSize: number | null;
  readonly maxOverflow: number | null;
  readonly cpus: number;
  readonly ramBytes: number | null;
  readonly storage: StorageType | null;
  readonly spindles: number | null;
  readonly avgQueryMs: number | null;
  readonly peakQps: number | null;
  /** the server's max_connections now (live or --max-connections), null when unknown */
  readonly serverMaxConnections: number | null;
  readonly superuserReserved: number;
  readonly pgMajor: number;
  /** idle client backends seen on the live server, when there is one */
  readonly observedIdle: number | null;
}

export interface FleetSide {
  readonly perInstance: number;
  readonly steady: number;
  readonly peak: number;
}

export interface PoolPlan {
  readonly coreBudget: number;
  readonly coreBudgetFormula: string;
  readonly capacityQps: number | null;
  readonly demandConnections: number | null;
  readonly peakInstances: number;
  readonly current: (FleetSide & { readonly poolSize: number; readonly maxOverflow: number }) | null;
  readonly serverAvailable: number | null;
  readonly currentExceeds: boolean | null;
  readonly recommended: {
    readonly poolSize: number;
    readonly maxOverflow: number;
    readonly minIdle: number;
    readonly idleTimeoutSeconds: number;
    readonly maxLifetimeSeconds: number;
    readonly acquireTimeoutSeconds: number;
    readonly steady: number;
    readonly peak: number;
    readonly maxConnections: number;
    readonly maxConnectionsFormula: string;
    readonly idleSessionTimeoutSeconds: number | null;
    readonly idleInTransactionTimeoutSeconds: number;
  };
  readonly withPgbouncer: { readonly defaultPoolSize: number; readonly reservePoolSize: number; readonly serverConnections: number; readonly appPoolSize: number; readonly maxClientConn: number };
  readonly memory: { readonly idleNowBytes: number | null; readonly idleCurrentFleetBytes: number | null; readonly idleRecommendedBytes: number };
  /** the seed's symptoms, each tied to the numbers */
  readonly symptoms: readonly { readonly symptom: string; readonly cause: string; readonly fix: string }[];
  readonly reasoning: readonly string[];
}

/** Connections kept for superusers are not enough: migrations, monitoring and psql sessions need some too. */
export const ADMIN_HEADROOM = 10;

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

/**
 * Sizes application pools and max_connections from the fleet and the machine. The anchor is the
 * pool sizing rule of thumb: connections that can do useful work at once ≈ cores × 2 + effective
 * spindles; more only queue inside PostgreSQL. Pure.
 */
export function sizePool(input: FleetInput): PoolPlan {
  if (input.appInstances < 1) throw new DbOptimizeError('E_BAD_FLAG', 'usage', '--app-instances must be at least 1');
  const spindles = input.spindles ?? (input.storage === 'hdd' ? 2 : 1);
  const coreBudget = input.cpus * 2 + spindles;
  const peakInstances = input.maxInstances ?? Math.ceil(input.appInstances * (1 + input.surgePercent / 100));
  if (peakInstances < input.appInstances) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--max-instances ${peakInstances} is below --app-instances ${input.appInstances}`);
  }
  const capacityQps = input.avgQueryMs === null ? null : Math.round((coreBudget * 1000) / input.avgQueryMs);
  // Little's law: connections busy at once = arrival rate × time each holds one
  const demandConnections = input.avgQueryMs !== null && input.peakQps !== null ? Math.ceil((input.peakQps * input.avgQueryMs) / 1000) : null;
  // 1.5 × the core budget: a connection is also held between the statements of a transaction
  const totalTarget = Math.max(Math.ceil(coreBudget * 1.5), demandConnections === null ? 0 : Math.ceil(demandConnections * 1.2));
  const poolSize = Math.max(2, Math.ceil(totalTarget / input.appInstances));
  const maxOverflow = Math.max(1, Math.ceil(poolSize / 2));
  const steady = input.appInstances * poolSize;
  const peak = peakInstances * (poolSize + maxOverflow);
  const needed = peak + input.superuserReserved + ADMIN_HEADROOM;
  const maxConnections = Math.max(100, roundUp(needed, 10));
  const serverAvailable = input.serverMaxConnections === null ? null : input.serverMaxConnections - input.superuserReserved;

  let current: PoolPlan['current'] = null;
  if (input.poolSize !== null) {
    const overflow = input.maxOverflow ?? 0;
    current = {
      poolSize: input.poolSize,
      maxOverflow: overflow,
      perInstance: input.poolSize + overflow,
      steady: input.appInstances * input.poolSize,
      peak: peakInstances * (input.poolSize + overflow),
    };
  }
  const currentExceeds = current === null || serverAvailable === null ? null : current.peak > serverAvailable;

  const pgbPool = roundUp(coreBudget, 5);
  const pgbReserve = Math.max(2, Math.ceil(pgbPool / 4));
  const withPgbouncer = {
    defaultPoolSize: pgbPool,
    reservePoolSize: pgbReserve,
    serverConnections: pgbPool + pgbReserve,
    appPoolSize: Math.max(poolSize, 5),
    maxClientConn: roundUp(Math.max(100, peakInstances * (Math.max(poolSize, 5) + maxOverflow) * 2), 100),
  };

  const idleTimeoutSeconds = 60;
  const memory = {
    idleNowBytes: input.observedIdle === null ? null : input.observedIdle * IDLE_BACKEND_BYTES,
    idleCurrentFleetBytes: current === null ? null : current.steady * IDLE_BACKEND_BYTES,
    idleRecommendedBytes: steady * IDLE_BACKEND_BYTES,
  };

  const reasoning: string[] = [
    `${input.cpus} cores × 2 + ${spindles} effective spindle${spindles === 1 ? '' : 's'} = ${coreBudget} queries can make progress at once; more connections only queue inside PostgreSQL`,
    ...(capacityQps === null ? [] : [`at ${input.avgQueryMs} ms per query, ${coreBudget} busy connections serve about ${capacityQps.toLocaleString('en-US')} queries/s`]),
    ...(demandConnections === null ? [] : [`${input.peakQps} queries/s × ${input.avgQueryMs} ms = ${demandConnections} connections busy at the peak (Little's law)`]),
    `fleet target ${totalTarget} connections = ${demandConnections === null ? `core budget ${coreBudget} × 1.5` : `max(core budget ${coreBudget} × 1.5, peak demand ${demandConnections} × 1.2)`} (a connection is also held between the statements of a transaction); / ${input.appInstances} instances = pool ${poolSize} each (at least 2), + ${maxOverflow} overflow for bursts`,
    `peak: ${peakInstances} instances (rolling deploy / autoscaling${input.maxInstances === null ? `, +${input.surgePercent} %` : ''}) × (${poolSize} + ${maxOverflow}) = ${peak} connections; + ${input.superuserReserved} superuser-reserved + ${ADMIN_HEADROOM} for migrations, monitoring and psql = ${needed} → max_connections ${maxConnections}`,
  ];

  const symptoms: PoolPlan['symptoms'][number][] = [];
  const tooMany = current !== null && serverAvailable !== null && current.peak > serverAvailable;
  symptoms.push({
    symptom: 'occasional "too many connections" (FATAL 53300: sorry, too many clients already)',
    cause:
      current !== null && serverAvailable !== null
        ? `the fleet can open ${peakInstances} × (${current.poolSize} + ${current.maxOverflow}) = ${current.peak} connections but the server accepts ${serverAvailable} (max_connections ${input.serverMaxConnections} − ${input.superuserReserved} reserved)${tooMany ? '' : ' — fits, so look for a leak or a second client'}`
        : 'the sum of every instance\'s pool plus overflow is larger than max_connections minus the reserved slots (pass --pool-size/--max-overflow and --max-connections or --db to get the exact numbers)',
    fix: `pool ${poolSize} + overflow ${maxOverflow} per instance caps the fleet at ${peak} even with ${peakInstances} instances, under max_connections ${maxConnections}`,
  });
  symptoms.push({
    symptom: '"connection refused" during traffic spikes',
    cause: `a spike makes every instance open its overflow connections at once (each a new backend process: fork + authentication) exactly when the server is busiest; a storm of simultaneous connects overflows the postmaster's listen backlog (TCP "connection refused"), once the server is full the rest are rejected, and instances that scale out during the spike bring whole new pools`,
    fix: `bounded pools that queue in the application (pool timeout ${5} s) instead of opening more, a 1-per-instance warm minimum so a spike does not start from zero, and PgBouncer in front if instances scale out: clients queue there (max_client_conn ${withPgbouncer.maxClientConn}) while PostgreSQL keeps ${withPgbouncer.serverConnections} backends`,
  });
  symptoms.push({
    symptom: 'idle connections consuming memory',
    cause:
      memory.idleCurrentFleetBytes !== null
        ? `${current?.steady} pooled connections kept open by the current pools hold ~${humanSize(memory.idleCurrentFleetBytes)} of backend memory while mostly idle (only ${coreBudget} can work at once)`
        : memory.idleNowBytes !== null
          ? `${input.observedIdle} idle backends on the server now hold ~${humanSize(memory.idleNowBytes)}`
          : `every pooled connection is a backend process holding a few MB (~${humanSize(IDLE_BACKEND_BYTES)}) even when idle`,
    fix: `${steady} steady connections (~${humanSize(memory.idleRecommendedBytes)}); overflow connections close after ${idleTimeoutSeconds} s idle; idle_session_timeout as a server-side backstop${input.pgMajor < 14 ? ' (needs PostgreSQL 14; use PgBouncer server_idle_timeout instead)' : ''}`,
  });

  return {
    coreBudget,
    coreBudgetFormula: `cores × 2 + effective spindles = ${input.cpus} × 2 + ${spindles}`,
    capacityQps,
    demandConnections,
    peakInstances,
    current,
    serverAvailable,
    currentExceeds,
    recommended: {
      poolSize,
      maxOverflow,
      minIdle: 1,
      idleTimeoutSeconds,
      maxLifetimeSeconds: 1800,
      acquireTimeoutSeconds: 5,
      steady,
      peak,
      maxConnections,
      maxConnectionsFormula: `max(100, round up to 10 of peak instances × (pool + overflow) + superuser_reserved_connections + ${ADMIN_HEADROOM})`,
      idleSessionTimeoutSeconds: input.pgMajor >= 14 ? 600 : null,
      idleInTransactionTimeoutSeconds: 60,
    },
    withPgbouncer,
    memory,
    symptoms,
    reasoning,
  };
}
