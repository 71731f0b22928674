import { writeFile } from 'node:fs/promises';
import { collectSnapshot } from '../../collect/collect-snapshot.ts';
import { resolveConnection } from '../../collect/connection.ts';
import { DbOptimizeError, isDbOptimizeError } from '../../errors/index.ts';
import type { Finding, ReportSection, Snapshot } from '../../model/index.ts';
import { AUTH_TYPES, generatePgbouncerConfig, POOL_MODES } from '../../pgbouncer/generate-pgbouncer-config.ts';
import type { AuthType, PoolModeChoice } from '../../pgbouncer/generate-pgbouncer-config.ts';
import { installedPgbouncerVersion, parsePgbouncerVersion } from '../../pgbouncer/pgbouncer-version.ts';
import type { PgbouncerVersion } from '../../pgbouncer/pgbouncer-version.ts';
import { BREAKER_ADVICE, scanTransactionPooling } from '../../pgbouncer/scan-transaction-pooling.ts';
import type { Breaker, ScannedStatement } from '../../pgbouncer/scan-transaction-pooling.ts';
import { statementsFromLogFile } from '../../pgbouncer/statements-from-log.ts';
import { buildReport, databaseInfo } from '../../render/build-report.ts';
import { initSqlParser } from '../../sql/index.ts';
import { workloadFromPgStatStatements, workloadFromSqlFile } from '../../workload/index.ts';
import { helpText, wrapSectionLines } from '../wrap-section-lines.ts';
import type { Command } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';
import { wantsLiveServer } from './config.ts';

function breakerFindings(breakers: readonly Breaker[], poolMode: string): Finding[] {
  const byKind = new Map<string, Breaker[]>();
  for (const b of breakers) byKind.set(b.kind, [...(byKind.get(b.kind) ?? []), b]);
  return [...byKind.entries()].map(([kind, list]) => {
    const a = BREAKER_ADVICE[kind as Breaker['kind']];
    const calls = list.reduce((s, b) => s + b.calls, 0);
    return {
      rule: 'pgbouncer/transaction-pooling-breaker',
      severity: poolMode === 'session' ? 'warning' : 'critical',
      title: `${a.title} in ${list.length} statement${list.length === 1 ? '' : 's'} (${calls} calls) breaks transaction pooling`,
      target: { kind: 'statement', name: kind },
      evidence: { kind, calls, statements: list.slice(0, 5).map((b) => ({ statement: b.statement, calls: b.calls, origin: b.origin })) },
      impact: { score: calls, summary: a.why },
      description: `${a.why}. Instead: ${a.fix}.`,
      nextSteps: [a.fix],
    } satisfies Finding;
  });
}

export const pgbouncerCommand: Command = {
  name: 'pgbouncer',
  summary: 'generate a drop-in pgbouncer.ini (+ auth guidance) and scan the workload for what breaks transaction pooling',
  usage: 'pgbouncer --clients N [--max-connections N | --db URL] [--cpus N] [--read-mostly] [--serverless] [--workload FILE.sql | --log FILE] [--pgbouncer-version 1.21] [--write-ini FILE]',
  help: helpText([
    'Sizes pool_mode, default_pool_size, min_pool_size, reserve_pool_size/timeout, max_db_connections, max_client_conn,',
    'server_lifetime, server_idle_timeout, query_wait_timeout and (1.21+) max_prepared_statements, each with its reason.',
    'Before recommending transaction mode it scans the workload — pg_stat_statements (--db), a PostgreSQL log (--log) or',
    'a SQL file (--workload) — for session SET, LISTEN, session advisory locks, WITH HOLD cursors, SQL PREPARE and temp tables.',
    'The target PgBouncer version is --pgbouncer-version, else the installed `pgbouncer --version`, else 1.21.',
    '',
    'Example (seed "Connection Pooler Setup"):',
    '  db-optimize pgbouncer --clients 50 --serverless --max-connections 100 --read-mostly --avg-query-ms 5',
  ]),
  common: ['connection', 'report'],
  options: {
    clients: { type: 'string', valueName: 'N', description: 'client connections at the peak (instances/functions × connections each)' },
    serverless: { type: 'boolean', description: 'clients are serverless functions / per-request connections' },
    'read-mostly': { type: 'boolean', description: 'short, mostly-read queries' },
    'avg-query-ms': { type: 'string', valueName: 'MS', description: 'average query time' },
    'max-connections': { type: 'string', valueName: 'N', description: "the server's max_connections (read from --db when given)" },
    'other-connections': { type: 'string', valueName: 'N', description: 'connections kept for clients that bypass PgBouncer (default 10)' },
    cpus: { type: 'string', valueName: 'N', description: 'CPU cores of the database server (sizes default_pool_size)' },
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
  },
  async run(ctx) {
    const clients = numberOption(ctx, 'clients', { min: 1, max: 1_000_000, integer: true });
    if (clients === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', 'pgbouncer needs --clients N: how many client connections the applications open at the peak', {
        hint: 'e.g. 50 serverless functions with one connection each: --clients 50 --serverless',
      });
    }
    const poolModeRaw = option(ctx, 'pool-mode') ?? 'auto';
    if (!(POOL_MODES as readonly string[]).includes(poolModeRaw)) {
      throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --pool-mode "${poolModeRaw}" (use ${POOL_MODES.join(', ')})`);
    }
    const authType = option(ctx, 'auth-type') ?? 'scram-sha-256';
    if (!(AUTH_TYPES as readonly string[]).includes(authType)) {
      throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --auth-type "${authType}" (use ${AUTH_TYPES.join(', ')})`);
    }
    const versionFlag = option(ctx, 'pgbouncer-version');
    let version: PgbouncerVersion;
    if (versionFlag !== undefined) version = parsePgbouncerVersion(versionFlag, 'flag');
    else version = (await installedPgbouncerVersion()) ?? parsePgbouncerVersion('1.21.0', 'assumed');
    const cpus = numberOption(ctx, 'cpus', { min: 1, max: 4096, integer: true });
    const avgQueryMs = numberOption(ctx, 'avg-query-ms', { min: 0.001 });
    const maxConnFlag = numberOption(ctx, 'max-connections', { min: 1, max: 262_143, integer: true });
    const other = numberOption(ctx, 'other-connections', { min: 0, integer: true }) ?? 10;
    const prepared = numberOption(ctx, 'prepared-statements', { min: 0, max: 100_000, integer: true });
    const listenPort = numberOption(ctx, 'listen-port', { min: 1, max: 65_535, integer: true }) ?? 6432;
    const workloadFile = option(ctx, 'workload');
    const logFile = option(ctx, 'log');

    // the workload to scan, and server facts from a live server
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
    if (wantsLiveServer(ctx)) {
      const db = await connect(ctx);
      try {
        snapshot = await collectSnapshot(db);
        display = db.display;
        try {
          const w = await workloadFromPgStatStatements(db);
          statements = [...(statements ?? []), ...w.statements.map((s) => ({ text: s.text, calls: s.calls, origin: 'pg_stat_statements' }))];
          sources.push('pg_stat_statements');
        } catch (error) {
          if (!isDbOptimizeError(error)) throw error;
          ctx.logger.warn(`${error.message}; the workload was not scanned from pg_stat_statements`);
        }
      } finally {
        await db.close();
      }
    }
    const serverMax = snapshot?.connections?.maxConnections ?? maxConnFlag;
    if (serverMax === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', "pgbouncer needs the server's max_connections: --max-connections N or --db URL");
    }
    const targetUrl = option(ctx, 'target') ?? option(ctx, 'db') ?? ctx.io.env.DATABASE_URL;
    let database = { alias: 'mydb', host: '127.0.0.1', port: 5432, dbname: 'mydb' };
    if (targetUrl !== undefined && targetUrl !== '') {
      const r = resolveConnection({ url: targetUrl, env: {} });
      database = { alias: r.database, host: r.host, port: Number(r.config.port ?? 5432), dbname: r.database };
    }
    const alias = option(ctx, 'database-alias');
    if (alias !== undefined) database = { ...database, alias };

    const breakers = statements === null ? null : scanTransactionPooling(statements);
    const plan = generatePgbouncerConfig({
      clients,
      serverMaxConnections: serverMax,
      superuserReserved: snapshot?.connections?.superuserReserved ?? 3,
      otherConnections: other,
      cpus: cpus ?? null,
      avgQueryMs: avgQueryMs ?? null,
      readMostly: flag(ctx, 'read-mostly'),
      serverless: flag(ctx, 'serverless'),
      version,
      poolMode: poolModeRaw as PoolModeChoice,
      breakers,
      database,
      listenAddr: option(ctx, 'listen-addr') ?? '127.0.0.1',
      listenPort,
      authType: authType as AuthType,
      authFile: option(ctx, 'auth-file') ?? '/etc/pgbouncer/userlist.txt',
      authQuery: flag(ctx, 'auth-query'),
      adminUser: option(ctx, 'admin-user') ?? 'postgres',
      preparedStatements: prepared ?? null,
    });
    const out = option(ctx, 'write-ini');
    if (out !== undefined) {
      try {
        await writeFile(out, plan.ini);
      } catch (error) {
        throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      ctx.logger.info(`pgbouncer.ini written to ${out}`);
    }

    const findings: Finding[] = breakers === null ? [] : breakerFindings(breakers, plan.poolMode);
    findings.push({
      rule: 'pgbouncer/config',
      severity: 'info',
      title: `pgbouncer.ini: pool_mode ${plan.poolMode}, ${plan.serverConnections} server connections for ${clients} clients`,
      target: { kind: 'file', name: 'pgbouncer.ini' },
      evidence: { poolMode: plan.poolMode, serverConnections: plan.serverConnections, clients, serverMaxConnections: serverMax, pgbouncerVersion: version.text, versionSource: version.source },
      impact: { score: 1, summary: plan.poolModeReason },
      description: 'The pgbouncer.ini below (JSON: pgbouncer.ini) is ready to drop in; every value carries its reason as a comment.',
    });
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
      sections: sections.map((x) => ({ ...x, lines: x.id.endsWith('app-settings') || x.id.endsWith('-ini') || x.id.endsWith('-snippet') ? x.lines : wrapSectionLines(x.lines) })),
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
    return emitReport(ctx, report);
  },
};
