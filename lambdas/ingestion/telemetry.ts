import * as z from 'zod';
import { environments } from '../domain/ka.js';
import { identifier, pastInstant } from '../http/fields.js';
import { getConfig } from '../store/config-store.js';
import { type Snapshot, storeSnapshots } from '../store/telemetry-store.js';
import { envelopeItems } from './envelope.js';
import type { WebhookSource } from './source.js';

const maxNodes = 100_000;

const nodeCount = z
  .number({ error: `must be an integer >= 0` })
  .int(`must be an integer >= 0`)
  .min(0, `must be an integer >= 0`)
  .max(maxNodes, `must be at most ${maxNodes}`);

/** SPEC §2 telemetry item; `nodes` defaults to the sum of `components`. */
export function telemetryEventSchema(now: Date): z.ZodType<Snapshot> {
  return z
    .object({
      eventId: z
        .string({ error: 'must be a string' })
        .min(1, 'must not be empty')
        .max(128, 'must be at most 128 characters')
        .optional(),
      clusterId: identifier,
      accountId: identifier.optional(),
      environment: z.enum(environments, { error: `must be one of ${environments.join(', ')}` }),
      nodes: nodeCount.optional(),
      components: z
        .record(
          z
            .string()
            .min(1, 'names must not be empty')
            .max(64, 'names must be at most 64 characters'),
          nodeCount,
        )
        // A cluster has a handful of component kinds; a bound keeps the stored fact small.
        .refine((c) => Object.keys(c).length <= 50, 'must name at most 50 components')
        .optional(),
      reportedAt: pastInstant(now),
      version: z
        .string({ error: 'must be a string' })
        .max(64, 'must be at most 64 characters')
        .optional(),
    })
    .transform((event, ctx) => {
      const nodes = event.nodes ?? sum(event.components);
      if (nodes === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes'],
          message: 'is required when components is absent',
        });
        return z.NEVER;
      }
      if (nodes > maxNodes) {
        ctx.addIssue({
          code: 'custom',
          path: ['components'],
          message: `must sum to at most ${maxNodes}`,
        });
        return z.NEVER;
      }
      const { accountId, components, version } = event;
      return {
        eventId: event.eventId ?? `${event.clusterId}@${event.reportedAt}`,
        clusterId: event.clusterId,
        environment: event.environment,
        nodes,
        reportedAt: event.reportedAt,
        ...(accountId === undefined ? {} : { accountId }),
        ...(components === undefined ? {} : { components }),
        ...(version === undefined ? {} : { version }),
      };
    });
}

const sum = (components: Record<string, number> | undefined) =>
  components === undefined ? undefined : Object.values(components).reduce((a, b) => a + b, 0);

/** `POST /webhooks/telemetry` (SPEC §2). */
export const telemetrySource: WebhookSource<Snapshot> = {
  name: 'telemetry',
  secret: 'telemetrySecret',
  signing: { scheme: 'standard-webhooks' },
  read: envelopeItems('events'),
  itemSchema: telemetryEventSchema,
  store: async (snapshots) => storeSnapshots(snapshots, (await getConfig()).timezone),
};
