import { longIdentifiers } from './rule-helpers.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const identifierTooLong: LintRuleModule = {
  meta: {
    id: "identifier-too-long",
    level: "warning",
    title: "Identifier longer than 63 bytes is truncated",
    squawk: ["identifier-too-long"],
    why: "PostgreSQL silently truncates names to 63 bytes: two long names can collide and later migrations referring to the full name fail.",
    recipe: "-- use a name of at most 63 bytes",
  },
  valid: [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_idx ON orders (user_id, created_at);",
  ],
  invalid: [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_status_total_amount_currency_region_idx ON orders (user_id);",
  ],
  check(ctx) {
    for (const id of longIdentifiers(ctx.span.text)) {
      ctx.report(`identifier "${id.slice(0, 40)}…" is ${Buffer.byteLength(id, 'utf8')} bytes; PostgreSQL keeps the first 63`);
    }
  },
};
