import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends NDJSON records to the capture file in batches: one write per ~64 KiB or per
 * event-loop turn, so the instrumented query path only pushes a string.
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
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    if (this.size >= 65_536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
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
