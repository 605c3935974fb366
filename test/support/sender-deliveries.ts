/**
 * Deliveries as GitHub and Discourse send them (SPEC §11), for tests: GitHub's documented example
 * payloads from `@octokit/webhooks-examples`, Discourse posts in the shape of its
 * `WebHookPostSerializer`, and the headers each sender puts on a delivery, signed with
 * `hubSignatureOf`.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { hubSignatureOf } from './webhook-client.js';

interface ExampleGroup {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}

// createRequire rather than an import: TypeScript would infer a type for all 4.3 MB of it.
const examples = createRequire(import.meta.url)(
  '@octokit/webhooks-examples/api.github.com/index.json',
) as readonly ExampleGroup[];

// biome-ignore lint/suspicious/noExplicitAny: documented payloads, edited freely by the tests
export type Payload = Record<string, any>;

/** A fresh copy of GitHub's documented example of `event` (with `action`, when given). */
export function githubExample(event: string, action?: string, which = 0): Payload {
  const found = examples
    .find((group) => group.name === event)
    ?.examples.filter((example) => action === undefined || example.action === action)[which];
  if (!found)
    throw new Error(`@octokit/webhooks-examples has no ${event} ${action ?? ''} #${which}`);
  return structuredClone(found) as Payload;
}

/**
 * GitHub's `closed` pull request example, merged: no documented example is merged, so the fields
 * a merge sets (`merged`, `merged_at`, `merged_by`) are set here, as GitHub sets them.
 */
export function mergedPullRequest(mergedAt = '2026-03-15T10:00:00Z'): Payload {
  const payload = githubExample('pull_request', 'closed');
  payload.pull_request.merged = true;
  payload.pull_request.merged_at = mergedAt;
  payload.pull_request.closed_at = mergedAt;
  payload.pull_request.merged_by = structuredClone(payload.sender);
  return payload;
}

export interface SenderDelivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A GitHub delivery of `payload` as `event`, signed with `secret` (any string: rotation lists too). */
export function githubDelivery(
  secret: string,
  event: string,
  payload: unknown,
  delivery: string = randomUUID(),
): SenderDelivery {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-github-hook-id': '292430182',
      'x-hub-signature-256': hubSignatureOf(secret, body),
    },
    body,
  };
}

export const forumInstance = 'https://forum.example.com';

let posts = 1000;

/**
 * A post as Discourse's `WebHookPostSerializer` writes it (PostSerializer plus `raw`,
 * `topic_title`, `category_id`, `topic_posts_count`, `topic_filtered_posts_count`,
 * `topic_archetype`, `category_slug`): a regular post by `ada` in a regular topic. It has no email.
 */
export function discoursePost(overrides: Payload = {}): Payload {
  const id = ++posts;
  return {
    id,
    name: 'Ada Lovelace',
    username: 'ada',
    avatar_template: '/user_avatar/forum.example.com/ada/{size}/3_2.png',
    created_at: '2026-03-15T10:00:00.000Z',
    cooked: '<p>Shard by tenant, then by time.</p>',
    post_number: 2,
    post_type: 1,
    updated_at: '2026-03-15T10:00:00.000Z',
    reply_count: 0,
    reply_to_post_number: null,
    quote_count: 0,
    incoming_link_count: 0,
    reads: 1,
    score: 0,
    topic_id: 42,
    topic_slug: 'sharding-in-practice',
    topic_title: 'Sharding in practice',
    category_id: 5,
    display_username: 'Ada Lovelace',
    primary_group_name: null,
    flair_name: null,
    version: 1,
    user_title: null,
    bookmarked: false,
    raw: 'Shard by tenant, then by time.',
    moderator: false,
    admin: false,
    staff: false,
    user_id: 17,
    hidden: false,
    trust_level: 1,
    deleted_at: null,
    user_deleted: false,
    edit_reason: null,
    wiki: false,
    reviewable_id: null,
    reviewable_score_count: 0,
    reviewable_score_pending_count: 0,
    topic_posts_count: 2,
    topic_filtered_posts_count: 2,
    topic_archetype: 'regular',
    category_slug: 'general',
    ...overrides,
  };
}

let events = 0;

/**
 * A Discourse delivery: `X-Discourse-Event` names the event (`post_created`,
 * `accepted_solution`, `ping`), `X-Discourse-Event-Type` its kind (`post`, `solved`, `ping`).
 */
export function discourseDelivery(
  secret: string,
  event: string,
  body: unknown,
  options: { eventId?: string; instance?: string } = {},
): SenderDelivery {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = event === 'accepted_solution' ? 'solved' : event === 'ping' ? 'ping' : 'post';
  return {
    headers: {
      'content-type': 'application/json',
      'x-discourse-instance': options.instance ?? forumInstance,
      'x-discourse-event-id': options.eventId ?? String(++events),
      'x-discourse-event-type': type,
      'x-discourse-event': event,
      'x-discourse-event-signature': hubSignatureOf(secret, text),
    },
    body: text,
  };
}

/** Posts a sender's delivery; the answer's status and parsed JSON body (or `undefined`). */
export async function postDelivery(
  url: string,
  delivery: SenderDelivery,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: undefined };
  }
}
