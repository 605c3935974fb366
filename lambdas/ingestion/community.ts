import * as z from 'zod';
import {
  type Activity,
  type ActivityStatus,
  type ActivityType,
  activityTypes,
  type IdentityKey,
  type IdentityKind,
  identityKinds,
  isContent,
} from '../domain/community.js';
import { normalizeIdentity } from '../domain/identities.js';
import { activityIdentifier, identifier, pastInstant } from '../http/fields.js';
import { storeActivities } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { envelopeItems } from './envelope.js';
import type { WebhookSource } from './source.js';

const reviewStatuses = ['submitted', 'recognized', 'rejected'] as const;

const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().max(max, `must be at most ${max} characters`);

/** zod's Unicode address pattern, with a dot in the domain, between labels. */
const internationalEmail = /^[^\s@"]{1,64}@(?=[^\s@]{1,255}$)[^\s@.]+(?:\.[^\s@.]+)+$/u;

/**
 * The values of identities as senders and admins write them (SPEC §1): an email address, or a
 * handle that still names someone once normalised (`@` alone does not).
 */
export const identityValues = {
  // RFC 6531 (SPEC §2): internationalised local parts and domains are addresses too; a domain
  // without a dot is not one anybody mails.
  email: z
    .string({ error: 'must be a string' })
    .trim()
    .pipe(
      z
        .email({ pattern: internationalEmail, error: 'must be an email address' })
        .max(256, 'must be at most 256 characters'),
    ),
  github: text(256).refine((v) => v.replace(/^@/, '') !== '', 'must not be empty'),
  forum: text(256).min(1, 'must not be empty'),
} as const satisfies Record<IdentityKind, z.ZodType<string>>;

const member = z
  .object(
    {
      ...identityValues,
      name: text(200),
      accountId: identifier,
    },
    { error: 'must be an object with at least one of email, github, forum' },
  )
  .partial()
  .refine(
    (m) => identityKinds.some((kind) => m[kind] !== undefined),
    'must have at least one of email, github, forum',
  );

/** The identities named by these objects in matching form, sorted and without repeats. */
export function identityKeys(
  named: readonly Partial<Record<IdentityKind, string | undefined>>[],
): IdentityKey[] {
  const keys = named.flatMap((values) =>
    identityKinds.flatMap((kind) => {
      const value = values[kind];
      return value === undefined ? [] : [normalizeIdentity(kind, value)];
    }),
  );
  return [...new Set(keys)].sort();
}

/**
 * The stored status (SPEC §2): content defaults to `submitted` and awaits review. Other types are
 * `delivered` when they arrive; only `rejected` is meaningful for them, so a `submitted` or
 * `recognized` talk is recorded as `delivered` rather than refused (it counts either way, SPEC §1).
 */
export function arrivalStatus(
  type: ActivityType,
  given: (typeof reviewStatuses)[number] | undefined,
): ActivityStatus {
  if (isContent(type)) return given ?? 'submitted';
  return given === 'rejected' ? 'rejected' : 'delivered';
}

/** SPEC §2 community item, normalised into the stored `Activity`. */
export function communityActivitySchema(now: Date): z.ZodType<Activity> {
  return z
    .object({
      activityId: activityIdentifier,
      type: z.enum(activityTypes, { error: `must be one of ${activityTypes.join(', ')}` }),
      member,
      occurredAt: pastInstant(now),
      status: z
        .enum(reviewStatuses, { error: `must be one of ${reviewStatuses.join(', ')}` })
        .optional(),
      title: text(500).optional(),
      // Only web links: the report puts them into emails, where `javascript:` has no business.
      url: z
        .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
        .max(2000, 'must be at most 2000 characters')
        .optional(),
    })
    .transform((item): Activity => {
      const { name, accountId } = item.member;
      return {
        activityId: item.activityId,
        type: item.type,
        occurredAt: item.occurredAt,
        status: arrivalStatus(item.type, item.status),
        identities: identityKeys([item.member]),
        ...(name ? { name } : {}),
        ...(accountId === undefined ? {} : { accountId }),
        ...(item.title ? { title: item.title } : {}),
        ...(item.url === undefined ? {} : { url: item.url }),
      };
    });
}

/**
 * A sender's own format (SPEC §11), mapped by `mapping` to a SPEC §2 community item and then
 * validated exactly like one, so every source's activities obey the same rules.
 */
export function mappedActivitySchema(mapping: z.ZodType, now: Date): z.ZodType<Activity> {
  return mapping.pipe(communityActivitySchema(now));
}

/** `POST /webhooks/community` (SPEC §2). */
export const communitySource: WebhookSource<Activity> = {
  name: 'community',
  secret: 'communitySecret',
  signing: { scheme: 'standard-webhooks' },
  read: envelopeItems('activities'),
  itemSchema: communityActivitySchema,
  store: async (activities) => storeActivities(activities, (await getConfig()).timezone),
};
