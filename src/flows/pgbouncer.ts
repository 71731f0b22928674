import { writeFile } from 'node:fs/promises';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { resolveConnection } from '../collect/connection.ts';
import { DbOptimizeError, isDbOptimizeError } from '../errors/index.ts';
import { wrapProseSections } from '../format/wrap-section-lines.ts';
import type { Finding, Report, ReportSection, Snapshot } from '../model/index.ts';
import { AUTH_TYPES, generatePgbouncerConfig, POOL_MODES } from '../pgbouncer/generate-pgbouncer-config.ts';
import type { AuthType, PoolModeChoice } from '../pgbouncer/generate-pgbouncer-config.ts';
import { breakerFindings, configFinding } from '../pgbouncer/pgbouncer-findings.ts';
import { installedPgbouncerVersion, parsePgbouncerVersion } from '../pgbouncer/pgbouncer-version.ts';
import type { PgbouncerVersion } from '../pgbouncer/pgbouncer-version.ts';
import { BREAKER_ADVICE, scanTransactionPooling } from '../pgbouncer/scan-transaction-pooling.ts';
import type { ScannedStatement } from '../pgbouncer/scan-transaction-pooling.ts';
import { statementsFromLogFile } from '../pgbouncer/statements-from-log.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { initSqlParser } from '../sql/index.ts';
import { workloadFromPgStatStatements, workloadFromSqlFile } from '../workload/index.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { HARDWARE_OPTIONS, hardwareOptions } from './hardware-options.ts';
import { connect, flag, numberOption, option, wantsLiveServer } from './flow-input.ts';

export const PGBOUNCER_OPTIONS = {
    clients: { type: 'string', valueName: 'N', description: 'client connections at the peak (instances/functions × connections each)' },
    serverless: { type: 'boolean', description: 'clients are serverless functions / per-request connections' },
    'read-mostly': { type: 'boolean', description: 'short, mostly-read queries' },
    'avg-query-ms': { type: 'string', valueName: 'MS', description: 'average query time' },
    'max-connections': { type: 'string', valueName: 'N', description: "the server's max_connections (read from --db when given)" },
    'other-connections': { type: 'string', valueName: 'N', description: 'connections kept for clients that bypass PgBouncer (default 10)' },
    cpus: HARDWARE_OPTIONS.cpus,
    'pool-mode': { type: 'string', valueName: 'MODE', description: 'auto | transaction | session | statement (default auto)' },
    'pgbouncer-version': { type: 'string', valueName: 'X.Y', description: 'target PgBouncer version (default: installed, else 1.21)' },
    'prepared-statements': { type: 'string', valueName: 'N', description: 'max_prepared_statements (needs 1.21+)' },
    workload: { type: 'string', valueName: 'FILE.sql', description: 'scan this SQL file for transaction-pooling breakers' },
    log: { type: 'string', valueName: 'FILE', description: 'scan a PostgreSQL log (log_statement = all) for breakers' },
    target: { type: 'string', valueName: 'URL', description: 'the PostgreSQL server PgBouncer connects to (default: --db, else 127.0.0.1:5432)' },
    'database-alias': { type: 'string', valueName: 'NAME', description: 'database name clients use (default: the target database)' },
    'listen-addr': { type: 'string', valueName: 'ADDR', description: 'listen_addr (default 127.0.0.1)' },
    'listen-port': { type: 'string', valueName: 'PORT', description: 'listen_port (default 6432)' },
    'auth-type': { type: 'string', valueName: 'TYPE', description: 'scram-sha-256 | md5 | plain | trust | hba | cert (default scram-sha-256)' },
    'auth-file': { type: 'string', valueName: 'PATH', description: 'auth_file (default /etc/pgbouncer/userlist.txt)' },
    'auth-query': { type: 'boolean', description: 'look users up with auth_query instead of listing them all' },
    'admin-user': { type: 'string', valueName: 'NAME', description: 'admin_users / stats_users (default postgres)' },
    'write-ini': { type: 'string', valueName: 'FILE', description: 'also write the pgbouncer.ini to FILE' },
  } as const;

interface ScanInputs {
  readonly statements: ScannedStatement[] | null;
  readonly sources: string[];
  readonly snapshot: Snapshot | null;
  readonly display: string | undefined;
}

/** The workload to scan (SQL file, log, pg_stat_statements) and the server's facts when one is named. */
async function scanInputs(input: FlowInput, workloadFile: string | undefined, logFile: string | undefined): Promise<ScanInputs> {
  await initSqlParser();
  let statements: ScannedStatement[] | null = null;
  const sources: string[] = [];
  if (workloadFile !== undefined) {
    const w = await workloadFromSqlFile(workloadFile);
    statements = [...(statements ?? []), ...w.statements.map((s) => ({ text: s.sample ?? s.text, calls: s.calls, origin: s.origin ?? workloadFile }))];
    sources.push(workloadFile);
  }
  if (logFile !== undefined) {
    statements = [...(statements ?? []), ...(await statementsFromLogFile(logFile))];
    sources.push(logFile);
  }
  let snapshot: Snapshot | null = null;
  let display: string | undefined;
  if (wantsLiveServer(input)) {
    const db = await connect(input);
    try {
      snapshot = await collectSnapshot(db);
      display = db.display;
      try {
        const w = await workloadFromPgStatStatements(db);
        statements = [...(statements ?? []), ...w.statements.map((s) => ({ text: s.text, calls: s.calls, origin: 'pg_stat_statements' }))];
        sources.push('pg_stat_statements');
      } catch (error) {
        if (!isDbOptimizeError(error)) throw error;
        input.logger.warn(`${error.message}; the workload was not scanned from pg_stat_statements`);
      }
    } finally {
      await db.close();
    }
  }
  return { statements, sources, snapshot, display };
}

/** A drop-in pgbouncer.ini for the clients, after scanning the workload for what breaks transaction pooling. */
async function runPgbouncer(input: FlowInput): Promise<Report> {
    const clients = numberOption(input, 'clients', { min: 1, max: 1_000_000, integer: true });
    if (clients === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', 'pgbouncer needs --clients N: how many client connections the applications open at the peak', {
        hint: 'e.g. 50 serverless functions with one connection each: --clients 50 --serverless',
      });
    }
    const poolModeRaw = option(input, 'pool-mode') ?? 'auto';
    if (!(POOL_MODES as readonly string[]).includes(poolModeRaw)) {
      throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --pool-mode "${poolModeRaw}" (use ${POOL_MODES.join(', ')})`);
    }
    const authType = option(input, 'auth-type') ?? 'scram-sha-256';
    if (!(AUTH_TYPES as readonly string[]).includes(authType)) {
      throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --auth-type "${authType}" (use ${AUTH_TYPES.join(', ')})`);
    }
    const versionFlag = option(input, 'pgbouncer-version');
    let version: PgbouncerVersion;
    if (versionFlag !== undefined) version = parsePgbouncerVersion(versionFlag, 'flag');
    else version = (await installedPgbouncerVersion()) ?? parsePgbouncerVersion('1.21.0', 'assumed');
    const { cpus } = hardwareOptions(input);
    const avgQueryMs = numberOption(input, 'avg-query-ms', { min: 0.001 });
    const maxConnFlag = numberOption(input, 'max-connections', { min: 1, max: 262_143, integer: true });
    const other = numberOption(input, 'other-connections', { min: 0, integer: true }) ?? 10;
    const prepared = numberOption(input, 'prepared-statements', { min: 0, max: 100_000, integer: true });
    const listenPort = numberOption(input, 'listen-port', { min: 1, max: 65_535, integer: true }) ?? 6432;
    const workloadFile = option(input, 'workload');
    const logFile = option(input, 'log');

    const { statements, sources, snapshot, display } = await scanInputs(input, workloadFile, logFile);
    const serverMax = snapshot?.connections?.maxConnections ?? maxConnFlag;
    if (serverMax === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', "pgbouncer needs the server's max_connections: --max-connections N or --db URL");
    }
    const targetUrl = option(input, 'target') ?? option(input, 'db') ?? input.env.DATABASE_URL;
    let database = { alias: 'mydb', host: '127.0.0.1', port: 5432, dbname: 'mydb' };
    if (targetUrl !== undefined && targetUrl !== '') {
      const r = resolveConnection({ url: targetUrl, env: {} });
      database = { alias: r.database, host: r.host, port: Number(r.config.port ?? 5432), dbname: r.database };
    }
    const alias = option(input, 'database-alias');
    if (alias !== undefined) database = { ...database, alias };

    const breakers = statements === null ? null : scanTransactionPooling(statements);
    const plan = generatePgbouncerConfig({
      clients,
      serverMaxConnections: serverMax,
      superuserReserved: snapshot?.connections?.superuserReserved ?? 3,
      otherConnections: other,
      cpus,
      avgQueryMs: avgQueryMs ?? null,
      readMostly: flag(input, 'read-mostly'),
      serverless: flag(input, 'serverless'),
      version,
      poolMode: poolModeRaw as PoolModeChoice,
      breakers,
      database,
      listenAddr: option(input, 'listen-addr') ?? '127.0.0.1',
      listenPort,
      authType: authType as AuthType,
      authFile: option(input, 'auth-file') ?? '/etc/pgbouncer/userlist.txt',
      authQuery: flag(input, 'auth-query'),
      adminUser: option(input, 'admin-user') ?? 'postgres',
      preparedStatements: prepared ?? null,
    });
    const out = option(input, 'write-ini');
    if (out !== undefined) {
      try {
        await writeFile(out, plan.ini);
      } catch (error) {
        throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      input.logger.info(`pgbouncer.ini written to ${out}`);
    }

    const findings: Finding[] = breakers === null ? [] : breakerFindings(breakers, plan.poolMode);
    findings.push(configFinding(plan, clients, serverMax, version));
    const sections: ReportSection[] = [];
    if (breakers !== null) {
      sections.push({
        id: 'pgbouncer-scan',
        title: `Transaction-pooling check (${sources.join(', ')}: ${statements?.length ?? 0} statements)`,
        lines:
          breakers.length === 0
            ? ['nothing that needs a session: transaction mode is safe for this workload']
            : breakers.slice(0, 20).map((b) => `${BREAKER_ADVICE[b.kind].title.padEnd(22)} ${String(b.calls).padStart(7)} calls  ${b.statement.replace(/\s+/g, ' ').slice(0, 60)}  (${b.origin})`),
      });
    }
    sections.push({ id: 'pgbouncer-ini', title: 'pgbouncer.ini', lines: plan.ini.trimEnd().split('\n') });
    sections.push({ id: 'pgbouncer-auth', title: 'Authentication', lines: plan.authGuidance });
    if (plan.warnings.length > 0) sections.push({ id: 'pgbouncer-warnings', title: 'Warnings', lines: plan.warnings.map((w) => `- ${w}`) });

    const report = buildReport({
      command: 'pgbouncer',
      generatedAt: new Date().toISOString(),
      database: snapshot === null ? { source: 'workload flags (no live server)' } : databaseInfo(snapshot, display),
      findings,
      sections: wrapProseSections(sections),
      extra: {
        pgbouncer: {
          version: { text: version.text, source: version.source },
          poolMode: plan.poolMode,
          poolModeReason: plan.poolModeReason,
          settings: plan.settings,
          ini: plan.ini,
          authGuidance: plan.authGuidance,
          serverConnections: plan.serverConnections,
          breakers,
          scannedSources: sources,
          warnings: plan.warnings,
        },
      },
    });
    return report;
}

export const pgbouncerFlow = defineFlow({ name: 'pgbouncer', common: ['connection', 'report'], options: PGBOUNCER_OPTIONS, run: runPgbouncer });

export type PgbouncerOptions = LibraryOptions<typeof PGBOUNCER_OPTIONS>;

export function pgbouncer(options: PgbouncerOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(pgbouncerFlow, options, context);
}
