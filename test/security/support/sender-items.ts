/**
 * Fuzzed deliveries of GitHub and Discourse (SPEC §11): a counted event built from the senders'
 * documented shapes, one of the fields the mapping reads set to a hostile value or removed, and
 * the activity id SPEC §11 says a stored one carries — written here from the SPEC's words.
 */
import fc from 'fast-check';
import {
  discourseDelivery,
  discoursePost,
  forumInstance,
  githubDelivery,
  githubExample,
  mergedPullRequest,
  type Payload,
  type SenderDelivery,
} from '../../support/sender-deliveries.js';
import { hubSignatureOf } from '../../support/webhook-client.js';
import { hostileValue, pollutionPayload, withKey } from './fuzz.js';

export interface Sender {
  readonly name: 'github' | 'discourse';
  readonly signatureHeader: string;
  /** A counted event of this sender, a fresh thing each time (unique number or id). */
  readonly counted: fc.Arbitrary<{ event: string; payload: Payload }>;
  /** Paths the mapping reads, for mutations. */
  readonly paths: Record<string, readonly (readonly string[])[]>;
  sign(secret: string, event: string, body: string, eventId?: string): SenderDelivery;
  /** SPEC §11's activity id for a delivery of `event` holding `payload`. */
  idOf(event: string, payload: Payload): string;
}

let things = 0;

export const github: Sender = {
  name: 'github',
  signatureHeader: 'x-hub-signature-256',
  counted: fc.constantFrom('pull_request', 'issues', 'discussion').map((event) => {
    const n = ++things + 1000;
    if (event === 'pull_request') {
      const payload = mergedPullRequest(new Date(Date.now() - n * 60_000).toISOString());
      payload.pull_request.number = n;
      return { event, payload };
    }
    if (event === 'issues') {
      const payload = githubExample('issues', 'opened');
      payload.issue.number = n;
      return { event, payload };
    }
    const payload = githubExample('discussion', 'answered');
    payload.answer.id = n;
    return { event, payload };
  }),
  paths: {
    pull_request: [
      ['action'],
      ['repository'],
      ['repository', 'full_name'],
      ['pull_request'],
      ['pull_request', 'number'],
      ['pull_request', 'merged'],
      ['pull_request', 'merged_at'],
      ['pull_request', 'user'],
      ['pull_request', 'user', 'login'],
      ['pull_request', 'user', 'type'],
      ['pull_request', 'title'],
      ['pull_request', 'html_url'],
    ],
    issues: [
      ['action'],
      ['repository', 'full_name'],
      ['issue'],
      ['issue', 'number'],
      ['issue', 'created_at'],
      ['issue', 'user', 'login'],
      ['issue', 'title'],
    ],
    discussion: [
      ['action'],
      ['repository', 'full_name'],
      ['answer'],
      ['answer', 'id'],
      ['answer', 'created_at'],
      ['answer', 'user'],
      ['answer', 'user', 'login'],
      ['discussion'],
    ],
  },
  sign: (secret, event, body, eventId) => githubDelivery(secret, event, body, eventId),
  idOf(event, p) {
    const repo = `github:${p.repository.full_name}`;
    if (event === 'pull_request') return `${repo}#pr-${p.pull_request.number}`;
    if (event === 'issues') return `${repo}#issue-${p.issue.number}`;
    return `${repo}#answer-${p.answer.id}`;
  },
};

export const discourse: Sender = {
  name: 'discourse',
  signatureHeader: 'x-discourse-event-signature',
  counted: fc.constantFrom('post_created', 'accepted_solution').map((event) => {
    const post = discoursePost({ id: ++things + 100_000 });
    return { event, payload: event === 'post_created' ? { post } : { solved: post } };
  }),
  paths: Object.fromEntries(
    [
      ['post_created', 'post'],
      ['accepted_solution', 'solved'],
    ].map(([event, key]) => [
      event,
      [
        [key],
        ...[
          'id',
          'username',
          'name',
          'user_id',
          'created_at',
          'post_type',
          'topic_archetype',
          'topic_id',
          'topic_slug',
          'topic_title',
          'post_number',
          'email',
        ].map((field) => [key, field]),
      ],
    ]),
  ) as Sender['paths'],
  sign: (secret, event, body, eventId) =>
    discourseDelivery(secret, event, body, eventId === undefined ? {} : { eventId }),
  idOf(event, p) {
    const host = new URL(forumInstance).host;
    return event === 'post_created'
      ? `discourse:${host}/post-${p.post.id}`
      : `discourse:${host}/solution-${p.solved.id}`;
  },
};

export interface FuzzedDelivery {
  readonly event: string;
  readonly payload: Payload;
  /** Whether the payload is the sender's, untouched: it must be stored. */
  readonly pristine: boolean;
  readonly what: string;
}

/** Sets (or, with `undefined`, removes) the value at `path` in a copy of `payload`. */
function changed(payload: Payload, path: readonly string[], value: unknown): Payload {
  const copy = structuredClone(payload);
  let at: Payload = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) return copy;
    at = at[key];
  }
  const last = path.at(-1) ?? '';
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

/** A counted delivery, untouched a quarter of the time, else with one read field changed. */
export const fuzzedDelivery = (sender: Sender): fc.Arbitrary<FuzzedDelivery> =>
  fc
    .tuple(
      sender.counted,
      fc.nat(),
      fc.oneof(
        { weight: 1, arbitrary: fc.constant('pristine' as const) },
        { weight: 2, arbitrary: hostileValue.map((value) => ({ value })) },
        { weight: 1, arbitrary: fc.constant('removed' as const) },
        { weight: 1, arbitrary: fc.constant('polluted' as const) },
      ),
    )
    .map(([{ event, payload }, at, change]) => {
      const paths = sender.paths[event] ?? [];
      const path = paths[at % paths.length] ?? [];
      if (change === 'pristine') return { event, payload, pristine: true, what: 'pristine' };
      if (change === 'polluted') {
        return {
          event,
          payload: withKey({ ...payload, ...pollutionPayload() }, '__proto__', { polluted: 1 }),
          pristine: false,
          what: 'polluted',
        };
      }
      const value = change === 'removed' ? undefined : change.value;
      return {
        event,
        payload: changed(payload, path, value),
        pristine: false,
        what: `${path.join('.')} ${change === 'removed' ? 'removed' : 'changed'}`,
      };
    });

/** A delivery signed with `secret`, then one part altered: none of them may be stored. */
export const tamperedSender = (sender: Sender, secret: string, other: string) =>
  fc
    .tuple(
      sender.counted,
      fc.oneof(
        fc.constant('unsigned'),
        fc.constant('other secret'),
        fc.constant('stranger secret'),
        fc.constant('body changed'),
        fc.constant('uppercase'),
        fc.constant('sha1'),
        fc.constant('bare hex'),
        fc.nat({ max: 63 }).map((at) => `digit ${at}`),
        hostileValue.map((value) => ({ value })),
      ),
    )
    .map(([{ event, payload }, how]) => {
      const body = JSON.stringify(payload);
      const good = sender.sign(secret, event, body);
      const signature = good.headers[sender.signatureHeader] ?? '';
      const { [sender.signatureHeader]: _, ...unsigned } = good.headers;
      const withSignature = (value: string, text = body) => ({
        what: typeof how === 'string' ? how : 'signature replaced',
        headers: { ...unsigned, [sender.signatureHeader]: value },
        body: text,
      });
      if (typeof how !== 'string') {
        const text = typeof how.value === 'string' ? how.value : JSON.stringify(how.value);
        return withSignature(text.replace(/[^\x20-\x7e]/g, '').slice(0, 500) || 'sha256=');
      }
      if (how === 'unsigned') return { what: how, headers: unsigned, body };
      if (how === 'other secret') return withSignature(hubSignatureOf(other, body));
      if (how === 'stranger secret') return withSignature(hubSignatureOf('stranger', body));
      if (how === 'body changed') return withSignature(signature, body.replace('}', ',"x":1}'));
      if (how === 'uppercase') return withSignature(`sha256=${signature.slice(7).toUpperCase()}`);
      if (how === 'sha1') return withSignature(signature.replace('sha256=', 'sha1='));
      if (how === 'bare hex') return withSignature(signature.slice('sha256='.length));
      const at = 7 + Number(how.slice('digit '.length));
      const digit = signature[at] === '0' ? '1' : '0';
      return withSignature(`${signature.slice(0, at)}${digit}${signature.slice(at + 1)}`);
    });
