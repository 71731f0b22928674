import type { Backend, JsonValue } from '../../model/index.ts';
import { round } from '../../format/format.ts';

/** A backend as evidence: pid, who, what, for how long (query text is redacted at collection). */
export function backendEvidence(b: Backend): JsonValue {
  return {
    pid: b.pid,
    user: b.user,
    database: b.database,
    applicationName: b.applicationName,
    clientAddr: b.clientAddr,
    state: b.state,
    waitEventType: b.waitEventType,
    waitEvent: b.waitEvent,
    xactAgeSeconds: b.xactAgeSeconds === null ? null : round(b.xactAgeSeconds, 1),
    queryAgeSeconds: b.queryAgeSeconds === null ? null : round(b.queryAgeSeconds, 1),
    stateAgeSeconds: b.stateAgeSeconds === null ? null : round(b.stateAgeSeconds, 1),
    blockedBy: [...b.blockedBy],
    query: b.query === null ? null : b.query.length > 500 ? `${b.query.slice(0, 497)}...` : b.query,
  };
}

export const isClient = (b: Backend): boolean => b.backendType === 'client backend';
