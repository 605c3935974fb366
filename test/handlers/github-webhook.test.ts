/**
 * `POST /webhooks/github` through local mode (SPEC §11), with GitHub's documented example
 * payloads: each mapping, redelivery, edits, bots and other events, signatures and rotation, and
 * the activities as the API shows and counts them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../../lambdas/system.js';
import {
  githubDelivery,
  githubExample,
  mergedPullRequest,
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
  process.env[env.secret.githubSecret] = system.secrets.githubSecret;
});
afterAll(() => system?.stop());

const url = () => `${system.apiUrl}/webhooks/github`;
const deliver = (event: string, payload: unknown, delivery?: string, secret?: string) =>
  postDelivery(
    url(),
    githubDelivery(secret ?? system.secrets.githubSecret, event, payload, delivery),
  );

const none = { accepted: 0, duplicates: 0, rejected: [] };

/** A repository of its own per test, so that activity ids never collide across tests. */
function inRepo<T extends Payload>(payload: T): T {
  const name = `repo-${randomUUID().slice(0, 8)}`;
  payload.repository.name = name;
  payload.repository.full_name = `octo-org/${name}`;
  return payload;
}

async function recalculate(from: string, to: string) {
  const job = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from, to }),
  });
  await waitForJob(system.api, ((await job.json()) as { jobId: string }).jobId);
}

async function activity(activityId: string) {
  const response = await system.api(`/activities?limit=1000`);
  const { activities } = (await response.json()) as { activities: Record<string, unknown>[] };
  return activities.find((a) => a.activityId === activityId);
}

describe('POST /webhooks/github (SPEC §11)', () => {
  it('answers a ping with 200 {"ok":true}, for a repository or an organisation hook', async () => {
    for (const which of [0, 3]) {
      const answer = await deliver('ping', githubExample('ping', undefined, which));
      expect(answer).toEqual({ status: 200, json: { ok: true } });
    }
  });

  it('stores a merged pull request as a code-contribution by its author at merged_at', async () => {
    const payload = inRepo(mergedPullRequest('2026-03-15T10:00:00Z'));
    const answer = await deliver('pull_request', payload);
    expect(answer).toEqual({ status: 202, json: { accepted: 1, duplicates: 0, rejected: [] } });
    expect(await activity(`github:${payload.repository.full_name}#pr-2`)).toMatchObject({
      type: 'code-contribution',
      occurredAt: '2026-03-15T10:00:00Z',
      status: 'delivered',
      title: 'Update the README with new information.',
      url: 'https://github.com/Codertocat/Hello-World/pull/2',
    });
  });

  it('acknowledges a pull request closed without merging, and counts it nowhere', async () => {
    const payload = inRepo(githubExample('pull_request', 'closed'));
    expect(await deliver('pull_request', payload)).toEqual({ status: 202, json: none });
    expect(await activity(`github:${payload.repository.full_name}#pr-2`)).toBeUndefined();
  });

  it('stores an opened issue as an issue at created_at; its edits never count again', async () => {
    const opened = inRepo(githubExample('issues', 'opened'));
    expect((await deliver('issues', opened)).json).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    const edited = githubExample('issues', 'edited');
    edited.repository = opened.repository;
    expect((await deliver('issues', edited)).json).toEqual(none);
    expect(await activity(`github:${opened.repository.full_name}#issue-1`)).toMatchObject({
      type: 'issue',
      occurredAt: '2019-05-15T15:20:18Z',
    });
  });

  it("stores an answered discussion as an answer by the answer's author, not who chose it", async () => {
    const payload = inRepo(githubExample('discussion', 'answered'));
    expect((await deliver('discussion', payload)).json).toMatchObject({ accepted: 1 });
    // Members are indexed by the recalculation of the months their activities fall in (SPEC §7).
    await recalculate('2021-03', '2021-03');
    const member = await system.api('/members/github:dan2wik');
    expect(member.status).toBe(200);
    const body = (await member.json()) as {
      identities: string[];
      activities: { activityId: string; type: string }[];
    };
    expect(body.identities).toEqual(['github:dan2wik']);
    expect(body.activities).toContainEqual(
      expect.objectContaining({
        activityId: `github:${payload.repository.full_name}#answer-550561`,
        type: 'answer',
      }),
    );
  });

  it('counts a redelivery — same delivery id or a new one — as a duplicate, never twice', async () => {
    const payload = inRepo(mergedPullRequest('2026-04-01T08:00:00Z'));
    const delivery = randomUUID();
    expect((await deliver('pull_request', payload, delivery)).json).toMatchObject({ accepted: 1 });
    expect((await deliver('pull_request', payload, delivery)).json).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
    // GitHub's "Redeliver" button sends the same payload under a new delivery id.
    expect((await deliver('pull_request', payload)).json).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
  });

  it('ignores bots, whether by a [bot] login or by type "Bot", and every other event', async () => {
    const byLogin = inRepo(mergedPullRequest());
    byLogin.pull_request.user = { login: 'dependabot[bot]', id: 49699333, type: 'Bot' };
    const byType = inRepo(githubExample('issues', 'opened'));
    byType.issue.user.type = 'Bot';
    expect((await deliver('pull_request', byLogin)).json).toEqual(none);
    expect((await deliver('issues', byType)).json).toEqual(none);
    expect((await deliver('push', githubExample('push'))).json).toEqual(none);
    expect((await deliver('check_suite', githubExample('check_suite'))).json).toEqual(none);
    expect((await deliver('star', githubExample('star'))).json).toEqual(none);
  });

  it('keeps a counted event whose payload lacks a needed field as a rejection, with its delivery id', async () => {
    const payload = inRepo(mergedPullRequest());
    delete payload.pull_request.user;
    const delivery = randomUUID();
    const answer = await deliver('pull_request', payload, delivery);
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [{ index: 0, error: expect.stringMatching(/^payload\.pull_request\.user /) }],
    });
    const listed = (await (await system.api('/admin/rejections?source=github')).json()) as {
      rejections: { source: string; webhookId: string; index: number }[];
    };
    expect(listed.rejections).toContainEqual(
      expect.objectContaining({ source: 'github', webhookId: delivery, index: 0 }),
    );
  });

  it('answers 400 with a JSON error for a missing X-GitHub-Event, a form-encoded body or non-JSON', async () => {
    const signed = githubDelivery(system.secrets.githubSecret, 'issues', { action: 'opened' });
    const { 'x-github-event': _, ...withoutEvent } = signed.headers;
    const noEvent = await postDelivery(url(), { headers: withoutEvent, body: signed.body });
    expect(noEvent).toEqual({
      status: 400,
      json: { error: expect.stringMatching(/X-GitHub-Event/) },
    });
    const form = `payload=${encodeURIComponent(signed.body)}`;
    const formAnswer = await postDelivery(url(), {
      headers: {
        ...signed.headers,
        'content-type': 'application/x-www-form-urlencoded',
        'x-hub-signature-256': hubSignatureOf(system.secrets.githubSecret, form),
      },
      body: form,
    });
    expect(formAnswer).toEqual({
      status: 400,
      json: { error: expect.stringMatching(/application\/json/) },
    });
    expect((await deliver('issues', 'not json')).status).toBe(400);
    expect((await deliver('issues', '[1,2]')).status).toBe(400);
  });
});

describe('POST /webhooks/github signatures (SPEC §11)', () => {
  const payload = () => inRepo(mergedPullRequest());

  it('refuses a missing, wrong, tampered or wrongly-formatted signature with a JSON 401', async () => {
    const good = githubDelivery(system.secrets.githubSecret, 'pull_request', payload());
    const { 'x-hub-signature-256': signature = '', ...unsigned } = good.headers;
    const variants: Record<string, string>[] = [
      unsigned,
      { ...unsigned, 'x-hub-signature-256': '' },
      { ...unsigned, 'x-hub-signature-256': hubSignatureOf('another secret', good.body) },
      { ...unsigned, 'x-hub-signature-256': signature.toUpperCase().replace('SHA256', 'sha256') },
      { ...unsigned, 'x-hub-signature-256': signature.slice('sha256='.length) },
      { ...unsigned, 'x-hub-signature-256': signature.replace('sha256=', 'sha1=') },
      // The community webhook's Standard Webhooks secret is not this webhook's.
      {
        ...unsigned,
        'x-hub-signature-256': hubSignatureOf(system.secrets.communitySecret, good.body),
      },
    ];
    for (const headers of variants) {
      const answer = await postDelivery(url(), { headers, body: good.body });
      expect(answer, JSON.stringify(headers)).toEqual({
        status: 401,
        json: { error: expect.any(String) },
      });
    }
    const tampered = good.body.replace('"merged":true', '"merged":true ');
    expect((await postDelivery(url(), { headers: good.headers, body: tampered })).status).toBe(401);
    expect((await postDelivery(url(), good)).status).toBe(202);
  });

  it('accepts every secret of a space-separated rotation list, and only those', async () => {
    const old = system.secrets.githubSecret;
    // Plain strings without spaces: a space separates the secrets of a rotation.
    const next = 'the-next-github-secret';
    process.env[env.secret.githubSecret] = `${old}   ${next}`;
    for (const secret of [old, next]) {
      expect((await deliver('pull_request', payload(), undefined, secret)).status).toBe(202);
    }
    process.env[env.secret.githubSecret] = next;
    expect((await deliver('pull_request', payload(), undefined, old)).status).toBe(401);
  });
});

describe('GitHub activities in the program (SPEC §1, §11)', () => {
  it('counts code-contributions toward a tier of a program that names them', async () => {
    const program = await system.api('/admin/programs/2025', {
      method: 'PUT',
      body: JSON.stringify({
        tiers: [
          { id: 'contributor', name: 'Contributor', minCount: 2, counts: ['code-contribution'] },
        ],
      }),
    });
    expect(program.status).toBe(200);
    const login = `grace-${randomUUID().slice(0, 6)}`;
    for (const [number, mergedAt] of [
      [10, '2025-05-01T10:00:00Z'],
      [11, '2025-06-01T10:00:00Z'],
    ] as const) {
      const pr = inRepo(mergedPullRequest(mergedAt));
      pr.pull_request.number = number;
      pr.pull_request.user.login = login;
      expect((await deliver('pull_request', pr)).json).toMatchObject({ accepted: 1 });
    }
    const response = await system.api('/evangelists?year=2025');
    const { members } = (await response.json()) as {
      members: { identities: string[]; counts: Record<string, number>; tiers: string[] }[];
    };
    expect(members.find((m) => m.identities.includes(`github:${login}`))).toMatchObject({
      counts: { 'code-contribution': 2 },
      tiers: ['contributor'],
    });
  });
});
