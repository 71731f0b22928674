import { runIndexAdvisor } from '../advisor/run-index-advisor.ts';
import { Database, resolveConnection } from '../collect/connection.ts';
import type { Logger } from '../engine/analyze-database.ts';
import { silentLogger } from '../engine/analyze-database.ts';
import type { AdvisorResult } from '../advisor/types.ts';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Report, Snapshot, Workload } from '../model/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import type { AppliedAdvice, ReplayRewrite } from './apply-advice.ts';
import { applyIndexAdvice, findVerifiedRewrites } from './apply-advice.ts';
import { copyName, createCopy, dropCopy, dropLeftovers, openAdmin, urlForDatabase } from './copy-database.ts';
import type { Leftover } from './copy-database.ts';
import type { ValidateWorkload } from './load-workload.ts';
import { withoutUnsafeFunctions } from './function-safety.ts';
import { loadValidateWorkload } from './load-workload.ts';
import type { LoadStatement } from './replay-load.ts';
import { runLoad } from './replay-load.ts';
import type { ReplayItem } from './replay-plan.ts';
import { buildReplayPlan, mixWeights } from './replay-plan.ts';
import type { Validation } from './validation-report.ts';
import { overallSides, scorecards, statementValidations, validationFindings, validationSections } from './validation-report.ts';

export interface ValidateOptions {
  /** the source database (else DATABASE_URL / PG* variables) */
  readonly url?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** workload: a SQL file, a PostgreSQL log, else pg_stat_statements of the source */
  readonly workloadFile?: string;
  readonly logFile?: string;
  readonly minCalls?: number;
  /** concurrent sessions of the replay (default 4) */
  readonly clients?: number;
  /** seconds of replay before and again after (default 10) */
  readonly durationSeconds?: number;
  /** replay at most this many statements (default 20) */
  readonly maxStatements?: number;
  readonly statementTimeoutMs?: number;
  /** refuse to copy a larger source (default 20 GB): the copy shares the source's disk */
  readonly maxCopyBytes?: number;
  readonly showLiterals?: boolean;
  /** drop the copy on SIGINT/SIGTERM, then exit (default true; off for library callers that handle signals) */
  readonly handleSignals?: boolean;
  readonly seed?: number;
  readonly width?: number;
  readonly logger?: Logger;
}

export const DEFAULT_CLIENTS = 4;
export const DEFAULT_DURATION_SECONDS = 10;
export const DEFAULT_MAX_STATEMENTS = 20;

interface CopyGuard {
  name: string;
  creating: Promise<unknown> | null;
  created: boolean;
  dropped: boolean;
  /** set by Ctrl-C / kill: the signal handler drops the copy and sets the exit code (130 / 143) */
  interrupted: NodeJS.Signals | null;
}

/**
 * Ctrl-C or a kill ends the run, but first the copy goes: a fresh admin session (the run's own may be
 * busy) drops it, after a CREATE DATABASE still in flight has finished.
 */
function installSignalHandlers(guard: CopyGuard, options: ValidateOptions, source: string, log: Logger): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    guard.interrupted = signal;
    log.warn(`${signal}: dropping the copy ${guard.name} before exiting…`);
    void (async () => {
      await guard.creating?.catch(() => undefined);
      const admin = await openAdmin(options.url, options.env ?? process.env, source).catch(() => null);
      if (admin !== null) {
        await dropCopy(admin, guard.name)
          .then(() => (guard.dropped = true))
          .catch((e: Error) => log.warn(`could not drop ${guard.name}: ${e.message}; the next validate run drops it`));
        await admin.close();
      }
      process.exit(signal === 'SIGINT' ? 130 : 143);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

function loadStatements(items: readonly ReplayItem[], rewrites: ReadonlyMap<string, ReplayRewrite> | null): LoadStatement[] {
  const weights = mixWeights(items);
  return items.map((i) => {
    const r = rewrites?.get(i.id);
    return {
      id: i.id,
      sql: r?.sql ?? i.sql,
      weight: weights.get(i.id) ?? 0,
      params: r === undefined || r.extraParams.length === 0 ? i.params : (random) => [...i.params(random), ...r.extraParams.map((p) => p ?? '')],
    };
  });
}

/** Server facts for the report header; the copy's statistics age (minutes) says nothing about the source. */
function sourceInfo(snapshot: Snapshot): Report['database'] {
  const { statsResetAt: _r, statsAgeSeconds: _a, statsAgeBasis: _b, uptimeSeconds: _u, ...rest } = databaseInfo(snapshot);
  return rest;
}

/** The index advisor at its defaults, on the copy; if it fails, the rewrites are still measured. */
async function adviseOnCopy(copy: Database, workload: Workload, log: Logger): Promise<{ result: AdvisorResult | null; snapshot: Snapshot; notes: string[] }> {
  try {
    // the copy's activity counters start at zero, so write rates come from the workload itself
    const run = await runIndexAdvisor(copy, {
      workload: () => Promise.resolve(workload),
      advisor: { writeSource: 'workload' },
      logger: log,
      timeLimitMs: 60_000,
    });
    return { result: run.result, snapshot: run.snapshot, notes: [...run.result.notes] };
  } catch (error) {
    log.warn(`index advisor failed on the copy: ${(error as Error).message}; measuring the rewrites alone`);
    return { result: null, snapshot: await collectSnapshot(copy), notes: [`index advisor failed: ${(error as Error).message}`] };
  }
}

interface CopyWork {
  readonly validation: Omit<Validation, 'copy' | 'leftovers'>;
  readonly database: Report['database'];
  readonly workload: Workload;
}

/** Everything that happens on the copy: advice, rewrites, the two replays. */
async function workOnCopy(copyUrl: string, options: ValidateOptions, { workload, valueSets }: ValidateWorkload, log: Logger): Promise<CopyWork> {
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const durationSeconds = options.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const seed = options.seed ?? 1;
  const showLiterals = options.showLiterals === true;
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const copy = await Database.connect({ url: copyUrl, env: options.env ?? process.env, readWrite: true, statementTimeoutMs });
  try {
    // the advisor runs on the copy, so nothing it does (HypoPG, rolled-back builds) touches the source
    const advised = await adviseOnCopy(copy, workload, log);
    const plan = await withoutUnsafeFunctions(
      copy,
      buildReplayPlan(workload, advised.snapshot, { max: options.maxStatements ?? DEFAULT_MAX_STATEMENTS, showLiterals, valueSets }),
    );
    log.info(`checking rewrites of ${plan.items.length} statement(s) on the copy…`);
    const { rewrites, applied: rewriteApplied } = await findVerifiedRewrites(copy, plan.items, advised.snapshot, { showLiterals, log: (m) => log.debug(m) });
    const load = { url: copyUrl, clients, durationMs: durationSeconds * 1000, statementTimeoutMs, seed };
    log.info(`replaying ${plan.items.length} statement(s) before the advice: ${clients} clients for ${durationSeconds} s…`);
    const before = await runLoad(loadStatements(plan.items, null), load);
    const applied: AppliedAdvice[] = [...(advised.result === null ? [] : await applyIndexAdvice(copy, advised.result, (m) => log.info(m))), ...rewriteApplied];
    log.info(`replaying after the advice (${applied.filter((a) => a.ok).length} change(s) applied)…`);
    const after = await runLoad(loadStatements(plan.items, rewrites), load);
    const overall = overallSides(before, after);
    return {
      workload,
      database: sourceInfo(advised.snapshot),
      validation: {
        load: {
          generator: 'node-postgres workers',
          clients,
          durationSeconds,
          mix:
            'statements picked by their share of calls (each at least a quarter of an even share); ' +
            `$n values ${valueSets.size > 0 ? 'as the log recorded them, else ' : ''}drawn from pg_stats, literals as written`,
          seed,
        },
        applied,
        statements: statementValidations(plan.items, before, after, new Set(rewrites.keys())),
        overall,
        scorecard: scorecards(overall),
        notReplayed: plan.notReplayed,
        notes: [
          ...advised.notes,
          'per-session settings: none are part of the index and rewrite advice, so none were applied',
          ...(plan.items.length === 0 ? ['no statement could be replayed: see "Not replayed"'] : []),
        ],
      },
    };
  } finally {
    await copy.close();
  }
}

/**
 * `validate`: copies the database (CREATE DATABASE … TEMPLATE), applies the advice to the copy,
 * replays the workload before and after, and drops the copy — at the end, on error and on
 * Ctrl-C. It never runs anything but reading the workload on the source: when the copy cannot be
 * made, it stops (exit 2).
 */
export async function validate(options: ValidateOptions = {}): Promise<Report> {
  const log = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  const source = resolveConnection({ url: options.url, env });
  const loaded = await loadValidateWorkload({
    env,
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.workloadFile === undefined ? {} : { workloadFile: options.workloadFile }),
    ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
    ...(options.minCalls === undefined ? {} : { minCalls: options.minCalls }),
    onProgress: (m) => log.info(m),
  });
  const admin = await openAdmin(options.url, env, source.database);
  const guard: CopyGuard = { name: copyName(), creating: null, created: false, dropped: false, interrupted: null };
  let removeHandlers: () => void = () => undefined;
  try {
    const leftovers: Leftover[] = await dropLeftovers(admin);
    for (const l of leftovers) log.warn(`${l.dropped ? 'dropped' : 'found'} ${l.database}, a copy left by an earlier validate run: ${l.reason}`);
    if (options.handleSignals !== false) removeHandlers = installSignalHandlers(guard, options, source.database, log);
    log.info(`copying ${source.database} to ${guard.name} (CREATE DATABASE … TEMPLATE)…`);
    const creating = createCopy(admin, source.database, {
      name: guard.name,
      ...(options.maxCopyBytes === undefined ? {} : { maxBytes: options.maxCopyBytes }),
      onCreated: () => (guard.created = true),
    });
    guard.creating = creating;
    const copy = await creating;
    const work = await workOnCopy(urlForDatabase(options.url, env, copy.database), options, loaded, log);
    await dropGuarded(admin, guard, log);
    const validation: Validation = {
      copy: { method: copy.method, database: copy.database, source: source.database, dropped: guard.dropped },
      leftovers: leftovers.map((l) => ({ database: l.database, dropped: l.dropped, reason: l.reason })),
      ...work.validation,
    };
    return buildReport({
      command: 'validate',
      generatedAt: new Date().toISOString(),
      database: { ...work.database, name: source.database, host: source.display },
      findings: validationFindings(validation),
      workload: work.workload,
      sections: validationSections(validation, options.width),
      extra: { validation },
    });
  } finally {
    // on every error path too: a copy that was made is dropped before the error reaches the caller
    await dropGuarded(admin, guard, log).catch((e: Error) => log.warn(`could not drop the copy ${guard.name}: ${e.message}; the next validate run drops it`));
    removeHandlers();
    // interrupted: the replay's sessions were ended under it, so its error is not the outcome; the handler exits 130/143
    if (guard.interrupted !== null) await new Promise<never>(() => undefined);
    await admin.close();
  }
}

async function dropGuarded(admin: Database, guard: CopyGuard, log: Logger): Promise<void> {
  if (!guard.created || guard.dropped) return;
  await dropCopy(admin, guard.name);
  guard.dropped = true;
  log.info(`dropped the copy ${guard.name}`);
}
