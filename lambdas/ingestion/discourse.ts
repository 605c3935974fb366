/**
 * `POST /webhooks/discourse` (SPEC §11): a Discourse forum's webhook deliveries, mapped to
 * community activities and stored like `/webhooks/community`'s (same dedupe, status rules and
 * rejections).
 */
import * as z from 'zod';
import type { Activity } from '../domain/community.js';
import { ValidationError } from '../domain/errors.js';
import { storeActivities } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { identityValues, mappedActivitySchema } from './community.js';
import type { DeliveryContents, WebhookSource } from './source.js';

/**
 * The events that can become an activity: where each body keeps its post (Discourse sends
 * `{ "<event type>": <serialized object> }`, the solved plugin `{ "solved": <the accepted post> }`),
 * the activity type and the word that starts its id.
 */
const counted = {
  post_created: { key: 'post', type: 'forum-post', id: 'post' },
  accepted_solution: { key: 'solved', type: 'answer', id: 'solution' },
} as const;
export type DiscourseEvent = keyof typeof counted;

/** One item of a Discourse delivery: the event, the forum's base URL and the post. */
export interface DiscourseItem {
  readonly event: DiscourseEvent;
  /** `X-Discourse-Instance`, e.g. `https://forum.example.com`. */
  readonly instance: string;
  readonly post: unknown;
}

/** Accounts Discourse itself posts as (SPEC §11); user ids ≤ 0 are all system accounts. */
const systemUsers = new Set(['system', 'discobot']);
const whisper = 4;

/** Just enough of a post to tell whether it counts; anything missing counts as absent. */
const postTrigger = z
  .object({
    username: z.string().catch(''),
    user_id: z.number().optional().catch(undefined),
    post_type: z.number().optional().catch(undefined),
    topic_archetype: z.string().optional().catch(undefined),
  })
  .optional()
  .catch(undefined);

/** Whether a post is one SPEC §11 ignores: a private message, a whisper, a system user's. */
export function isIgnoredPost(post: z.infer<typeof postTrigger>): boolean {
  if (post === undefined) return false;
  return (
    post.topic_archetype === 'private_message' ||
    post.post_type === whisper ||
    systemUsers.has(post.username.toLowerCase()) ||
    (post.user_id !== undefined && post.user_id <= 0)
  );
}

const isDiscourseEvent = (event: string): event is DiscourseEvent => Object.hasOwn(counted, event);

/**
 * What a Discourse delivery holds (SPEC §11): a ping is a ping; `post_created` and
 * `accepted_solution` are one item unless the post is ignored; every other event is none
 * (acknowledged, counted nowhere). A body that is not a JSON object, or a counted event without a
 * usable `X-Discourse-Instance`, is a 400.
 */
export function discourseDelivery(
  event: string,
  instance: string | null,
  body: unknown,
): DeliveryContents {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError("The body must be a JSON object: Discourse's event payload");
  }
  if (event === 'ping') return { kind: 'ping' };
  if (!isDiscourseEvent(event)) return { kind: 'items', items: [] };
  const post = (body as Record<string, unknown>)[counted[event].key];
  if (isIgnoredPost(postTrigger.parse(post))) return { kind: 'items', items: [] };
  return { kind: 'items', items: [{ event, instance: instanceUrl(instance), post }] };
}

/** The forum's base URL; its host names the forum in activity ids. */
function instanceUrl(instance: string | null): string {
  const url = parsedUrl(instance ?? '');
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new ValidationError(
      'Missing or malformed header X-Discourse-Instance: deliver the event exactly as Discourse sends it',
    );
  }
  return url.href.replace(/\/+$/, '');
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const text = z.string({ error: 'must be a string' });
const positive = 'must be a positive integer';
const number = z.number({ error: positive }).int(positive).positive(positive);
/** Longer titles and names than a community item takes are shortened, never refused. */
const shortened = (max: number) =>
  z
    .string()
    .optional()
    .catch(undefined)
    .transform((t) => t?.trim().slice(0, max) || undefined);
/** An address only when it is one: a bad email must not cost the member their post. */
const email = z
  .unknown()
  .transform((value) => identityValues.email.safeParse(value).data)
  .optional();

/** What a counted post must hold. */
const discoursePost = z.object({
  id: number,
  username: text.min(1, 'must not be empty'),
  name: shortened(200),
  email,
  created_at: text,
  topic_id: number.optional().catch(undefined),
  topic_slug: z.string().optional().catch(undefined),
  post_number: number.optional().catch(undefined),
  topic_title: shortened(500),
});

/**
 * A counted Discourse item as a SPEC §2 community item (SPEC §11): a new post is a `forum-post`
 * (`discourse:<instance host>/post-<post id>`), an accepted solution an `answer` by the solution's
 * author (`…/solution-<post id>`), both at the post's `created_at`, by `forum: <username>` plus
 * `email` when the payload carries a valid one. A post without those fields fails, naming the field.
 */
export const discourseActivityItem = z
  .object({
    event: z.enum(['post_created', 'accepted_solution']),
    instance: z.url(),
    post: discoursePost,
  })
  .transform(({ event, instance, post: p }) => {
    const { type, id } = counted[event];
    const link =
      p.topic_slug && p.topic_id && p.post_number
        ? `${instance}/t/${p.topic_slug}/${p.topic_id}/${p.post_number}`
        : undefined;
    return {
      activityId: `discourse:${new URL(instance).host}/${id}-${p.id}`,
      type,
      member: {
        forum: p.username,
        ...(p.email === undefined ? {} : { email: p.email }),
        ...(p.name === undefined ? {} : { name: p.name }),
      },
      occurredAt: p.created_at,
      title: p.topic_title,
      url: link,
    };
  });

/** `POST /webhooks/discourse` (SPEC §11), secret `FLYWHEEL_DISCOURSE_SECRET`. */
export const discourseSource: WebhookSource<Activity> = {
  name: 'discourse',
  secret: 'discourseSecret',
  signing: {
    scheme: 'sha256-hex',
    signatureHeader: 'x-discourse-event-signature',
    deliveryHeader: 'x-discourse-event-id',
    sender: 'Discourse',
  },
  read(body, headers) {
    // A ping carries `X-Discourse-Event-Type: ping`; other deliveries name their event.
    const event =
      headers.get('x-discourse-event-type') === 'ping' ? 'ping' : headers.get('x-discourse-event');
    if (!event) {
      throw new ValidationError(
        'Missing header X-Discourse-Event: deliver the event exactly as Discourse sends it',
      );
    }
    return discourseDelivery(event, headers.get('x-discourse-instance'), body);
  },
  itemSchema: (now) => mappedActivitySchema(discourseActivityItem, now),
  store: async (activities) => storeActivities(activities, (await getConfig()).timezone),
};
