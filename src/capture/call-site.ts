import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { findSourceMap } from 'node:module';

const OWN_DIR = dirname(fileURLToPath(import.meta.url));

type Frame = { getFileName(): string | null | undefined; getLineNumber(): number | null; getColumnNumber(): number | null };

function framesOnly(_: Error, frames: Frame[]): Frame[] {
  return frames;
}

/**
 * The application frame that issued a query: the first frame outside node_modules, node
 * internals and this package. Structured frames avoid formatting the whole stack as text.
 */
export function applicationCallSite(skipFn: (...args: never[]) => unknown): string | null {
  const prevPrepare = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  Error.prepareStackTrace = framesOnly as unknown as typeof Error.prepareStackTrace;
  const holder: { stack?: Frame[] } = {};
  Error.captureStackTrace(holder, skipFn);
  const frames = holder.stack ?? [];
  Error.prepareStackTrace = prevPrepare;
  Error.stackTraceLimit = prevLimit;
  for (const f of frames) {
    let file = f.getFileName();
    if (file === null || file === undefined || file.startsWith('node:')) continue;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (file.includes('/node_modules/') || file.startsWith(OWN_DIR)) continue;
    return mapPosition(file, f.getLineNumber() ?? 0, f.getColumnNumber() ?? 0);
  }
  return null;
}

const mapped = new Map<string, string>();

/** Maps a transpiled position back to the source (tsx, ts-node, bundlers with source maps). */
function mapPosition(file: string, line: number, column: number): string {
  const key = `${file}:${line}:${column}`;
  let out = mapped.get(key);
  if (out !== undefined) return out;
  out = key;
  try {
    const entry = findSourceMap(file)?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalLine !== undefined) {
      const source = entry.originalSource?.startsWith('file://') === true ? fileURLToPath(entry.originalSource) : (entry.originalSource ?? file);
      out = `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    }
  } catch {
    // no source map: keep the generated position
  }
  if (mapped.size > 10_000) mapped.clear();
  mapped.set(key, out);
  return out;
}
