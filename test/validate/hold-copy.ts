/**
 * Run as a child process by the leftover test: makes a validate copy the way a real run does,
 * prints its name, then waits to be killed with SIGKILL (no cleanup can run).
 */
import { createCopy, openAdmin } from '../../src/validate/copy-database.ts';

const [url, source] = process.argv.slice(2);
const admin = await openAdmin(url, process.env, source ?? '');
const copy = await createCopy(admin, source ?? '');
process.stdout.write(`${copy.database}\n`);
setInterval(() => undefined, 60_000);
