import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that fails instead of hanging: Node's own `mkdir(…, { recursive: true })` loops for
 * ever when the parent exists but refuses new entries with ENOENT (any path under /proc), which
 * made `monitor --out-dir /proc/x` hang. One level at a time, each error is returned as it is.
 */
export async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw error;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    // the parent is missing: make it, then try once more (a second ENOENT is the answer)
    await makeDir(parent);
    await mkdir(dir);
  }
}
