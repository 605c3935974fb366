/**
 * `POST /webhooks/github` (SPEC §11): GitHub's own webhook deliveries, mapped to community
 * activities and stored like `/webhooks/community`'s (same dedupe, status rules and rejections).
 */
import * as z from 'zod';
import type { Activity } from '../domain/community.js';
import { ValidationError } from '../domain/errors.js';
import { storeActivities } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { mappedActivitySchema } from './community.js';
import type { DeliveryContents, WebhookSource } from './source.js';

/** The events that can become an activity; every other event is acknowledged and ignored. */
export const githubEvents = ['pull_request', 'issues', 'discussion'] as const;
export type GithubEvent = (typeof githubEvents)[number];

/** One item of a GitHub delivery: the event (from `X-GitHub-Event`) and its payload. */
export interface GithubItem {
  readonly event: GithubEvent;
  readonly payload: unknown;
}

/** Just enough of a payload to tell whether it counts; anything missing counts as absent. */
const author = z
  .object({ login: z.string().optional().catch(undefined), type: z.unknown().optional() })
  .partial()
  .optional()
  .catch(undefined);
const trigger = z.object({
  action: z.unknown().optional(),
  pull_request: z
    .object({ merged: z.unknown().optional(), user: author })
    .optional()
    .catch(undefined),
  issue: z.object({ user: author }).optional().catch(undefined),
  answer: z.object({ user: author }).optional().catch(undefined),
});

/** SPEC §11: a login ending in `[bot]`, or `type: "Bot"`, is a bot's, never a member's. */
export const isBot = (user: z.infer<typeof author>): boolean =>
  user?.type === 'Bot' || (user?.login?.endsWith('[bot]') ?? false);

/** Whether a delivery of `event` is one that counts, and who authored the thing it is about. */
function countedAuthor(event: GithubEvent, payload: z.infer<typeof trigger>) {
  switch (event) {
    case 'pull_request':
      return payload.action === 'closed' && payload.pull_request?.merged === true
        ? { counts: true, user: payload.pull_request.user }
        : { counts: false };
    case 'issues':
      return payload.action === 'opened'
        ? { counts: true, user: payload.issue?.user }
        : { counts: false };
    case 'discussion':
      return payload.action === 'answered'
        ? { counts: true, user: payload.answer?.user }
        : { counts: false };
  }
}

const isGithubEvent = (event: string): event is GithubEvent =>
  (githubEvents as readonly string[]).includes(event);

/**
 * What a GitHub delivery holds (SPEC §11): `ping` is a ping; a merged pull request, an opened
 * issue or an answered discussion is one item; any other event or action, and anything a bot
 * authored, is none (acknowledged, counted nowhere). A payload that is not a JSON object is a 400.
 */
export function githubDelivery(event: string, payload: unknown): DeliveryContents {
  const parsed = trigger.safeParse(payload);
  if (!parsed.success || Array.isArray(payload)) {
    throw new ValidationError("The body must be a JSON object: GitHub's event payload");
  }
  if (event === 'ping') return { kind: 'ping' };
  if (!isGithubEvent(event)) return { kind: 'items', items: [] };
  const counted = countedAuthor(event, parsed.data);
  if (!counted.counts || isBot(counted.user)) return { kind: 'items', items: [] };
  return { kind: 'items', items: [{ event, payload } satisfies GithubItem] };
}

const text = z.string({ error: 'must be a string' });
const positive = 'must be a positive integer';
const number = z.number({ error: positive }).int(positive).positive(positive);
const user = z.object({ login: text.min(1, 'must not be empty') });
const repository = z.object({
  full_name: text.regex(/^[^/\s]+\/[^/\s]+$/, 'must be <owner>/<repo>'),
});
/** Titles longer than the community item's 500 characters are shortened, never refused. */
const title = z
  .string()
  .optional()
  .catch(undefined)
  .transform((t) => t?.slice(0, 500) || undefined);
const url = z.string().optional().catch(undefined);

const mergedPullRequest = z
  .object({
    repository,
    pull_request: z.object({ number, user, merged_at: text, title, html_url: url }),
  })
  .transform(({ repository: repo, pull_request: pr }) => ({
    activityId: `github:${repo.full_name}#pr-${pr.number}`,
    type: 'code-contribution',
    member: { github: pr.user.login },
    occurredAt: pr.merged_at,
    title: pr.title,
    url: pr.html_url,
  }));

const openedIssue = z
  .object({
    repository,
    issue: z.object({ number, user, created_at: text, title, html_url: url }),
  })
  .transform(({ repository: repo, issue }) => ({
    activityId: `github:${repo.full_name}#issue-${issue.number}`,
    type: 'issue',
    member: { github: issue.user.login },
    occurredAt: issue.created_at,
    title: issue.title,
    url: issue.html_url,
  }));

const answeredDiscussion = z
  .object({
    repository,
    discussion: z.object({ title }).optional().catch(undefined),
    answer: z.object({ id: number, user, created_at: text, html_url: url }),
  })
  .transform(({ repository: repo, discussion, answer }) => ({
    activityId: `github:${repo.full_name}#answer-${answer.id}`,
    type: 'answer',
    member: { github: answer.user.login },
    occurredAt: answer.created_at,
    title: discussion?.title,
    url: answer.html_url,
  }));

/** What each counted event's payload must hold, by event. */
const githubPayloads = {
  pull_request: mergedPullRequest,
  issues: openedIssue,
  discussion: answeredDiscussion,
} as const;

/**
 * A counted GitHub item as a SPEC §2 community item (SPEC §11): a merged pull request is a
 * `code-contribution` by its author at `merged_at` (`github:<owner>/<repo>#pr-<number>`), an
 * opened issue an `issue` by its author at `created_at` (`…#issue-<number>`), an answered
 * discussion an `answer` by `answer.user` at the answer's `created_at` (`…#answer-<id>`). The
 * identity is `github: <login>`. A payload without those fields fails, naming the field.
 */
export const githubActivityItem = z
  .object({ event: z.enum(githubEvents), payload: z.unknown() })
  .transform((item, ctx) => {
    const parsed = githubPayloads[item.event].safeParse(item.payload);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['payload', ...issue.path] });
    }
    return z.NEVER;
  });

/** `POST /webhooks/github` (SPEC §11), secret `FLYWHEEL_GITHUB_SECRET`. */
export const githubSource: WebhookSource<Activity> = {
  name: 'github',
  secret: 'githubSecret',
  signing: {
    scheme: 'sha256-hex',
    signatureHeader: 'x-hub-signature-256',
    deliveryHeader: 'x-github-delivery',
    sender: 'GitHub',
  },
  read(body, headers) {
    const event = headers.get('x-github-event');
    if (!event) {
      throw new ValidationError(
        'Missing header X-GitHub-Event: deliver the event exactly as GitHub sends it',
      );
    }
    return githubDelivery(event, body);
  },
  itemSchema: (now) => mappedActivitySchema(githubActivityItem, now),
  store: async (activities) => storeActivities(activities, (await getConfig()).timezone),
};
