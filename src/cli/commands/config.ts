import { helpText } from '../../format/wrap-section-lines.ts';
import { configFlow } from '../../flows/config.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'tune postgresql.conf for the machine and workload (pgtune formulas, corrected, with a memory check)',
  usage: 'config [--db URL] [--ram 32GB] [--cpus 8] [--storage ssd|hdd|nvme|san] [--workload web|oltp|dw|mixed|desktop] [--max-connections N] [--pg-version 16] [--apply]',
  help: helpText([
    'Recommends shared_buffers, effective_cache_size, work_mem, maintenance_work_mem, WAL, checkpoint, planner,',
    'parallelism, autovacuum, huge_pages, jit and (18+) io_method settings, each with its formula and reason,',
    'and checks that shared_buffers + sessions × work_mem × nodes + autovacuum workers × maintenance_work_mem fits in RAM.',
    'With --db (or DATABASE_URL) it reads pg_settings, the table activity and checkpoints of the live server (read-only)',
    'and shows current → recommended; without RAM/CPU figures it only audits what needs none.',
    'Output: the table of changes, a postgresql.conf snippet and ALTER SYSTEM statements marked reload or restart.',
    '--apply runs the ALTER SYSTEM statements on the live server (a separate read-write session) and pg_reload_conf();',
    'it never restarts the server and prints the statements that undo the change.',
    '',
    'Examples:',
    '  db-optimize config --ram 32GB --cpus 8 --storage ssd --workload oltp --pg-version 16',
    '  db-optimize config --db postgresql://localhost/app --ram 64GB --cpus 16 --storage nvme',
  ]),
  common: configFlow.common,
  options: configFlow.options,
  run: (ctx) => runFlowCommand(ctx, configFlow),
};
