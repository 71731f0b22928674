/** Exit codes of the CLI; part of the public contract. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  connection: 3,
  internal: 70,
} as const;

export type ErrorKind = 'usage' | 'input' | 'config' | 'connection' | 'privilege' | 'internal';

const EXIT_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: EXIT.usage,
  input: EXIT.usage,
  config: EXIT.usage,
  connection: EXIT.connection,
  privilege: EXIT.connection,
  internal: EXIT.internal,
};

/**
 * An error meant for a person: a stable code, what went wrong and what to do next.
 * Server error fields (SQLSTATE, position, detail) are kept when there are some.
 */
export class DbOptimizeError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    kind: ErrorKind,
    message: string,
    options: { hint?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DbOptimizeError';
    this.code = code;
    this.kind = kind;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  get exitCode(): number {
    return EXIT_BY_KIND[this.kind];
  }
}

export function isDbOptimizeError(error: unknown): error is DbOptimizeError {
  return error instanceof DbOptimizeError;
}
