/**
 * `POST /webhooks/discourse` through local mode (SPEC §11), with posts shaped like Discourse's
 * `WebHookPostSerializer` and the solved plugin's `{"solved": …}`: each mapping, redelivery, edits,
 * ignored posts and events, signatures and rotation, and the activities as the API shows them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../../lambdas/system.js';
import {
  discourseDelivery,
  discoursePost,
  type Payload,
  postDelivery,
} from '../support/sender-deliveries.js';
import { waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { hubSignatureOf } from '../support/webhook-client.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterEach(() => {
  process.env[env.secret.discourseSecret] = system.secrets.discourseSecret;
});
afterAll(() => system?.stop());

const url = () => `${system.apiUrl}/webhooks/discourse`;
const deliver = (
  event: string,
  body: unknown,
  options: { eventId?: string; instance?: string; secret?: string } = {},
) =>
  postDelivery(
    url(),
    discourseDelivery(options.secret ?? system.secrets.discourseSecret, event, body, options),
  );

const none = { accepted: 0, duplicates: 0, rejected: [] };
const one = { accepted: 1, duplicates: 0, rejected: [] };
const duplicate = { accepted: 0, duplicates: 1, rejected: [] };

async function activities(query = '') {
  const response = await system.api(`/activities?limit=1000${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { activities: Record<string, unknown>[] }).activities;
}
const activity = async (activityId: string) =>
  (await activities()).find((a) => a.activityId === activityId);

describe('POST /webhooks/discourse (SPEC §11)', () => {
  it('answers a ping with 200 {"ok":true}', async () => {
    expect(await deliver('ping', { ping: 'OK' })).toEqual({ status: 200, json: { ok: true } });
  });

  it("verifies Discourse's own test vector: its secret and its signature of a ping", async () => {
    process.env[env.secret.discourseSecret] = 'my_lovely_secret_for_web_hook';
    const answer = await postDelivery(url(), {
      headers: {
        'content-type': 'application/json',
        'x-discourse-instance': 'http://test.localhost',
        'x-discourse-event-id': '1',
        'x-discourse-event-type': 'ping',
        'x-discourse-event': 'ping',
        'x-discourse-event-signature':
          'sha256=162f107f6b5022353274eb1a7197885cfd35744d8d08e5bcea025d309386b7d6',
      },
      body: '{"ping":"OK"}',
    });
    expect(answer).toEqual({ status: 200, json: { ok: true } });
  });

  it("stores a new post as a forum-post by forum: <username> at the post's created_at", async () => {
    const post = discoursePost({ created_at: '2026-02-10T08:30:00.000Z' });
    expect((await deliver('post_created', { post })).json).toEqual(one);
    expect(await activity(`discourse:forum.example.com/post-${post.id}`)).toMatchObject({
      type: 'forum-post',
      occurredAt: '2026-02-10T08:30:00.000Z',
      status: 'delivered',
      title: 'Sharding in practice',
      url: 'https://forum.example.com/t/sharding-in-practice/42/2',
    });
  });

  it("stores an accepted solution as an answer by the solution's author", async () => {
    const username = `grace${randomUUID().slice(0, 6)}`;
    const post = discoursePost({ username, created_at: '2026-02-11T09:00:00.000Z' });
    expect((await deliver('accepted_solution', { solved: post })).json).toEqual(one);
    const [answer] = await activities(`&member=${encodeURIComponent(`forum:${username}`)}`);
    expect(answer).toMatchObject({
      activityId: `discourse:forum.example.com/solution-${post.id}`,
      type: 'answer',
      occurredAt: '2026-02-11T09:00:00.000Z',
    });
  });

  it('joins the email to the forum name when the payload carries one', async () => {
    const username = `ada${randomUUID().slice(0, 6)}`;
    const post = discoursePost({
      username,
      email: `${username}@Example.com`,
      created_at: '2026-01-20T10:00:00Z',
    });
    expect((await deliver('post_created', { post })).json).toEqual(one);
    await recalculate('2026-01', '2026-01');
    const member = await system.api(
      `/members/${encodeURIComponent(`email:${username}@example.com`)}`,
    );
    expect(member.status).toBe(200);
    expect(((await member.json()) as { identities: string[] }).identities).toEqual([
      `email:${username}@example.com`,
      `forum:${username}`,
    ]);
  });

  it('counts a redelivery and a post_created sent again as a duplicate; an edit never counts', async () => {
    const post = discoursePost();
    const eventId = String(Date.now());
    expect((await deliver('post_created', { post }, { eventId })).json).toEqual(one);
    expect((await deliver('post_created', { post }, { eventId })).json).toEqual(duplicate);
    expect((await deliver('post_created', { post })).json).toEqual(duplicate);
    const edited = { ...post, raw: 'Edited', cooked: '<p>Edited</p>', version: 2 };
    expect((await deliver('post_edited', { post: edited })).json).toEqual(none);
    const ids = (await activities()).filter((a) => String(a.activityId).endsWith(`-${post.id}`));
    expect(ids).toHaveLength(1);
  });

  it('ignores private messages, whispers and system users, and other events', async () => {
    const ignored: Payload[] = [
      discoursePost({ topic_archetype: 'private_message' }),
      discoursePost({ post_type: 4 }),
      discoursePost({ username: 'system', user_id: -1 }),
      discoursePost({ username: 'discobot', user_id: -2 }),
      discoursePost({ username: 'importer', user_id: 0 }),
    ];
    for (const post of ignored) {
      expect((await deliver('post_created', { post })).json, JSON.stringify(post)).toEqual(none);
      expect((await deliver('accepted_solution', { solved: post })).json).toEqual(none);
    }
    expect((await deliver('topic_created', { topic: { id: 42, title: 'Hello' } })).json).toEqual(
      none,
    );
    expect((await deliver('user_created', { user: { id: 99, username: 'new' } })).json).toEqual(
      none,
    );
    const stored = await activities();
    for (const post of ignored) {
      expect(stored.some((a) => String(a.activityId).endsWith(`/post-${post.id}`))).toBe(false);
    }
  });

  it('names each forum by its instance host: the same post id on two forums is two posts', async () => {
    const post = discoursePost();
    expect((await deliver('post_created', { post })).json).toEqual(one);
    expect(
      (await deliver('post_created', { post }, { instance: 'https://discuss.example.org' })).json,
    ).toEqual(one);
  });

  it('answers 400 with a JSON error for a missing X-Discourse-Instance or X-Discourse-Event', async () => {
    const signed = discourseDelivery(system.secrets.discourseSecret, 'post_created', {
      post: discoursePost(),
    });
    for (const header of ['x-discourse-instance', 'x-discourse-event']) {
      const headers = Object.fromEntries(
        Object.entries(signed.headers).filter(([name]) => name !== header),
      );
      const answer = await postDelivery(url(), { headers, body: signed.body });
      expect(answer, header).toEqual({ status: 400, json: { error: expect.any(String) } });
    }
  });
});

describe('POST /webhooks/discourse signatures (SPEC §11)', () => {
  it('refuses a missing, wrong, tampered or wrongly-formatted signature with a JSON 401', async () => {
    const good = discourseDelivery(system.secrets.discourseSecret, 'post_created', {
      post: discoursePost(),
    });
    const { 'x-discourse-event-signature': signature = '', ...unsigned } = good.headers;
    const variants = [
      unsigned,
      { ...unsigned, 'x-discourse-event-signature': '' },
      { ...unsigned, 'x-discourse-event-signature': hubSignatureOf('wrong', good.body) },
      { ...unsigned, 'x-discourse-event-signature': signature.slice('sha256='.length) },
      // GitHub's secret is not Discourse's.
      {
        ...unsigned,
        'x-discourse-event-signature': hubSignatureOf(system.secrets.githubSecret, good.body),
      },
      // The signature in GitHub's header is not read here.
      { ...unsigned, 'x-hub-signature-256': signature },
    ];
    for (const headers of variants) {
      const answer = await postDelivery(url(), { headers, body: good.body });
      expect(answer, JSON.stringify(headers)).toEqual({
        status: 401,
        json: { error: expect.any(String) },
      });
    }
    const tampered = good.body.replace('"username":"ada"', '"username":"eve"');
    expect((await postDelivery(url(), { headers: good.headers, body: tampered })).status).toBe(401);
    expect((await postDelivery(url(), good)).status).toBe(202);
  });

  it('accepts every secret of a space-separated rotation list, and only those', async () => {
    const old = system.secrets.discourseSecret;
    const next = 'the-next-discourse-secret';
    process.env[env.secret.discourseSecret] = `${old} ${next}`;
    for (const secret of [old, next]) {
      const answer = await deliver('post_created', { post: discoursePost() }, { secret });
      expect(answer.status).toBe(202);
    }
    process.env[env.secret.discourseSecret] = next;
    const answer = await deliver('post_created', { post: discoursePost() }, { secret: old });
    expect(answer.status).toBe(401);
  });
});

describe('forum activities in the program (SPEC §1, §11)', () => {
  it('counts forum-posts and answers toward a tier of a program that names them', async () => {
    const program = await system.api('/admin/programs/2025', {
      method: 'PUT',
      body: JSON.stringify({
        tiers: [
          { id: 'helper', name: 'Forum helper', minCount: 3, counts: ['forum-post', 'answer'] },
        ],
      }),
    });
    expect(program.status).toBe(200);
    const username = `lin${randomUUID().slice(0, 6)}`;
    const at = '2025-09-01T10:00:00Z';
    for (const event of ['post_created', 'post_created'] as const) {
      const post = discoursePost({ username, created_at: at });
      expect((await deliver(event, { post })).json).toEqual(one);
    }
    const solution = discoursePost({ username, created_at: at });
    expect((await deliver('accepted_solution', { solved: solution })).json).toEqual(one);
    const { members } = (await (await system.api('/evangelists?year=2025')).json()) as {
      members: { identities: string[]; counts: Record<string, number>; tiers: string[] }[];
    };
    expect(members.find((m) => m.identities.includes(`forum:${username}`))).toMatchObject({
      counts: { answer: 1, 'forum-post': 2 },
      tiers: ['helper'],
    });
  });
});

async function recalculate(from: string, to: string) {
  const job = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from, to }),
  });
  await waitForJob(system.api, ((await job.json()) as { jobId: string }).jobId);
}
