import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../lambdas/domain/community.js';
import { activitiesBetween, allActivities } from '../../lambdas/store/community-store.js';
import { listMonths } from '../../lambdas/store/months-store.js';
import { deliverSigned } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

interface Summary {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

const deliver = (body: unknown, options: { secret?: string; at?: Date } = {}) =>
  deliverSigned(
    `${system.apiUrl}/webhooks/community`,
    options.secret ?? system.secrets.communitySecret,
    body,
    options,
  );

async function summaryOf(activities: Record<string, unknown>[]): Promise<Summary> {
  const response = await deliver({ activities });
  expect(response.status).toBe(202);
  return (await response.json()) as Summary;
}

const activity = (overrides: Record<string, unknown> = {}) => ({
  activityId: `a-${randomUUID()}`,
  type: 'talk',
  member: { email: 'ada@example.com', name: 'Ada' },
  occurredAt: '2026-03-15T10:00:00+08:00',
  ...overrides,
});

async function stored(activityId: string): Promise<Activity | undefined> {
  return (await allActivities()).find((a) => a.activityId === activityId);
}

describe('POST /webhooks/community', () => {
  it('stores an activity with its normalised identities and answers 202 with counts', async () => {
    const item = activity({
      type: 'article',
      member: { email: ' Ada@Example.COM ', github: '@AdaL', accountId: 'acme', name: 'Ada' },
      title: 'Sharding in practice',
      url: 'https://example.com/sharding',
    });
    expect(await summaryOf([item])).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await stored(item.activityId)).toEqual({
      activityId: item.activityId,
      type: 'article',
      occurredAt: item.occurredAt,
      status: 'submitted',
      identities: ['email:ada@example.com', 'github:adal'],
      name: 'Ada',
      accountId: 'acme',
      title: 'Sharding in practice',
      url: 'https://example.com/sharding',
    });
  });

  it('records talks as delivered, and a rejected talk as rejected', async () => {
    const talk = activity();
    const reviewed = activity({ status: 'recognized' });
    const rejected = activity({ status: 'rejected' });
    await summaryOf([talk, reviewed, rejected]);
    expect((await stored(talk.activityId))?.status).toBe('delivered');
    expect((await stored(reviewed.activityId))?.status).toBe('delivered');
    expect((await stored(rejected.activityId))?.status).toBe('rejected');
  });

  it('accepts the types the sources of SPEC §11 bring in, as delivered', async () => {
    const items = ['code-contribution', 'issue', 'forum-post'].map((type) => activity({ type }));
    expect(await summaryOf(items)).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    for (const item of items) {
      expect(await stored(item.activityId)).toMatchObject({ type: item.type, status: 'delivered' });
    }
  });

  it('marks the month of a new activity in the reporting zone for recalculation', async () => {
    // 2025-06-30T20:00 at -05:00 is already July in UTC, the default reporting zone.
    await summaryOf([activity({ occurredAt: '2025-06-30T20:00:00-05:00' })]);
    const months = (await listMonths()).map((state) => state.month);
    expect(months).toContain('2025-07');
    expect(months).not.toContain('2025-06');
  });

  it('stores the valid items of a batch and names the index and problem of the others', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const body = await summaryOf([
      activity(),
      activity({ member: { name: 'Nobody' } }),
      activity({ type: 'podcast' }),
      activity({ occurredAt: future }),
      activity({ occurredAt: '2026-03-15T10:00:00' }),
      activity({ member: { email: 'not an address' } }),
      activity({ activityId: 'x'.repeat(257) }),
      activity({ status: 'delivered', type: 'video' }),
      activity({ url: 'javascript:alert(1)' }),
      activity({ member: undefined }),
    ]);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const errors = body.rejected.map((r) => r.error);
    expect(errors[0]).toBe('member must have at least one of email, github, forum');
    expect(errors[1]).toMatch(/^type must be one of talk, article/);
    expect(errors[2]).toBe('occurredAt must not be more than 5 minutes in the future');
    expect(errors[3]).toMatch(/^occurredAt must be an ISO 8601 date-time with a zone offset/);
    expect(errors[4]).toBe('member.email must be an email address');
    expect(errors[5]).toBe('activityId must be at most 256 characters');
    expect(errors[6]).toBe('status must be one of submitted, recognized, rejected');
    expect(errors[7]).toBe('url must be an http or https URL');
    expect(errors[8]).toMatch(/^member must be an object/);
  });

  it('counts a redelivered activity once and keeps what its first delivery said', async () => {
    const item = activity({ type: 'answer', title: 'First' });
    expect(await summaryOf([item])).toMatchObject({ accepted: 1, duplicates: 0 });
    const retry = { ...item, occurredAt: '2026-04-01T00:00:00Z', member: { github: 'someone' } };
    expect(await summaryOf([retry, { ...retry, title: 'Second' }])).toMatchObject({
      accepted: 0,
      duplicates: 2,
    });
    const matching = (await allActivities()).filter((a) => a.activityId === item.activityId);
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({
      occurredAt: item.occurredAt,
      identities: ['email:ada@example.com'],
      status: 'delivered',
      title: 'Second',
    });
  });

  it('moves a status forward from submitted, never back by a retried delivery', async () => {
    const article = activity({ type: 'article', title: 'Draft' });
    await summaryOf([article]);
    await summaryOf([{ ...article, status: 'recognized', url: 'https://example.com/a' }]);
    await summaryOf([{ ...article, status: 'submitted', title: 'Final' }]);
    await summaryOf([{ ...article, title: undefined, status: 'rejected' }]);
    expect(await stored(article.activityId)).toMatchObject({
      status: 'recognized',
      title: 'Final',
      url: 'https://example.com/a',
    });
  });

  it('never changes a delivered talk by webhook', async () => {
    const talk = activity();
    await summaryOf([talk]);
    await summaryOf([{ ...talk, status: 'rejected' }]);
    expect((await stored(talk.activityId))?.status).toBe('delivered');
  });

  it('counts a batch delivered concurrently many times exactly once', async () => {
    const batch = Array.from({ length: 40 }, () => activity({ type: 'video' }));
    const bodies = await Promise.all(Array.from({ length: 5 }, () => summaryOf(batch)));
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(40);
    expect(bodies.reduce((sum, b) => sum + b.duplicates, 0)).toBe(160);
    const ids = new Set(batch.map((a) => a.activityId));
    expect((await allActivities()).filter((a) => ids.has(a.activityId))).toHaveLength(40);
  });

  it('reads the activities of a half-open range of instants, oldest first', async () => {
    const early = activity({ occurredAt: '2019-12-31T23:30:00-01:00' }); // 2020-01-01T00:30Z
    const late = activity({ occurredAt: '2020-01-31T23:59:59.999Z' });
    const after = activity({ occurredAt: '2020-02-01T00:00:00Z' });
    await summaryOf([after, late, early]);
    const january = await activitiesBetween('2020-01-01T00:00:00Z', '2020-02-01T00:00:00Z');
    expect(january.map((a) => a.activityId)).toEqual([early.activityId, late.activityId]);
  });

  it('refuses a wrong signature with 401 and a foreign envelope with 400', async () => {
    const wrong = `whsec_${Buffer.from('not the secret').toString('base64')}`;
    expect((await deliver({ activities: [activity()] }, { secret: wrong })).status).toBe(401);
    const telemetrySigned = await deliver(
      { activities: [activity()] },
      { secret: system.secrets.telemetrySecret },
    );
    expect(telemetrySigned.status).toBe(401);
    for (const body of ['not json', '{"events":[]}', '{"activities":{}}']) {
      const response = await deliver(body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toHaveProperty('error');
    }
  });

  it('answers 413 for more than 1,000 activities', async () => {
    const response = await deliver({ activities: Array.from({ length: 1001 }, () => activity()) });
    expect(response.status).toBe(413);
  });
});
