import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AuditEntry } from '../store/audit-store.js';
import { principalOf } from './router.js';

/**
 * The audit entry of a change made by this request (SPEC §8): who (the token's name and role),
 * how (method and the path as received), what (`target`, `kind:id`) and the touched fields before
 * and after. Callers pass only fields that hold no secret, token or hash.
 */
export function auditEntry(
  reqCtx: RequestContext,
  target: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditEntry {
  const { actor, role } = principalOf(reqCtx);
  const event = reqCtx.event as APIGatewayProxyEventV2;
  return {
    at: new Date().toISOString(),
    actor,
    role,
    method: event.requestContext.http.method,
    path: event.rawPath,
    target,
    before,
    after,
  };
}

/** The named fields of an object, for `before`/`after` (`null` stays `null`). */
export function fieldsOf<T extends object>(
  value: T | null | undefined,
  names: readonly (keyof T)[],
): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  return Object.fromEntries(names.map((name) => [name, value[name] ?? null]));
}
