import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** True when the file starts with the gzip magic bytes (whatever its name). */
function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `onLine` for every line of a file (or stdin for "-"), gunzipping files that start with
 * the gzip magic. Reads chunk by chunk through the stream's async iterator, which only pulls the
 * next chunk once the previous one is processed: memory stays flat however slow the consumer
 * (readline's iterator on Node 20 buffers lines without limit when the consumer is slower than the disk).
 */
export async function forEachLine(path: string, stdin: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  // opened (and checked for the gzip magic) before the stream exists, so a missing file is one rejection
  const gzip = path !== '-' && isGzip(path);
  let input: NodeJS.ReadableStream = path === '-' ? stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  if (gzip) input = input.pipe(createGunzip({ chunkSize: 1 << 20 }));
  (input as NodeJS.ReadableStream & { setEncoding(e: string): void }).setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}
