import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends NDJSON records to the capture file in batches: one write per ~64 KiB or per
 * 100 ms, so the instrumented query path only pushes a string.
 */
export class CaptureWriter {
  private fd: number | null;
  private buffer: string[] = [];
  private size = 0;
  private scheduled = false;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(record: object): void {
    this.writeLine(`${JSON.stringify(record)}\n`);
  }

  writeLine(line: string): void {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size >= 65_536) this.flush();
    else if (!this.scheduled) {
      // a timer, not setImmediate: one write per 100 ms instead of one per event-loop turn
      this.scheduled = true;
      setTimeout(() => this.flush(), 100).unref();
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.fd === null || this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
