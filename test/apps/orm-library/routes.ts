export type Json = Record<string, unknown> | unknown[];

export interface OrmRoutes {
  readonly routes: Record<string, () => Promise<Json>>;
  /** runs the fix snippet db-optimize printed for this ORM, verbatim */
  readonly runFix: (code: string) => Promise<Json>;
  /** one query before the capture starts, so connection set-up is not part of a request */
  readonly warm: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Runs a printed fix snippet with the given names in scope and returns the variable it declares. */
export async function runPrinted(code: string, scope: Record<string, unknown>): Promise<Json> {
  const declared = /^const (\w+) = /m.exec(code)?.[1];
  if (declared === undefined) throw new Error(`the printed fix declares no variable:\n${code}`);
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<Json>;
  const fn = new AsyncFunction(...Object.keys(scope), `${code}\nreturn ${declared};`);
  return fn(...Object.values(scope));
}
