import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTiers } from '../../lambdas/domain/community.js';
import { memberMerges } from '../../lambdas/store/community-store.js';
import { listMonths } from '../../lambdas/store/months-store.js';
import { deliverSigned } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const call = (method: string, path: string, body?: unknown) =>
  system.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function deliver(activities: Record<string, unknown>[]) {
  const response = await deliverSigned(
    `${system.apiUrl}/webhooks/community`,
    system.secrets.communitySecret,
    { activities },
  );
  expect(response.status).toBe(202);
}

const activity = (overrides: Record<string, unknown> = {}) => ({
  activityId: `a-${randomUUID()}`,
  type: 'article',
  member: { email: 'grace@example.com' },
  occurredAt: '2026-02-10T09:00:00Z',
  ...overrides,
});

const tier = (overrides: Record<string, unknown> = {}) => ({
  id: 'mve',
  name: 'Most Valuable Evangelist',
  minCount: 4,
  counts: ['talk', 'recognized-content'],
  ...overrides,
});

describe('PATCH /admin/activities/{activityId}', () => {
  it('sets any status and answers with the activity', async () => {
    const item = activity();
    await deliver([item, { ...item, status: 'recognized' }]);
    const back = await call('PATCH', `/admin/activities/${item.activityId}`, {
      status: 'submitted',
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ activityId: item.activityId, status: 'submitted' });
    // A review after the admin's reopening moves it forward again.
    await deliver([{ ...item, status: 'rejected' }]);
    const final = await call('PATCH', `/admin/activities/${item.activityId}`, {
      status: 'delivered',
    });
    expect(await final.json()).toMatchObject({ status: 'delivered' });
  });

  it('marks the activity month for recalculation', async () => {
    const item = activity({ occurredAt: '2024-11-20T12:00:00Z' });
    await deliver([item]);
    const before = (await listMonths()).find((m) => m.month === '2024-11')?.touchedAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call('PATCH', `/admin/activities/${item.activityId}`, { status: 'recognized' });
    const after = (await listMonths()).find((m) => m.month === '2024-11')?.touchedAt ?? 0;
    expect(after).toBeGreaterThan(before);
  });

  it('answers 404 for an unknown activity and 400 for an unknown status', async () => {
    const unknown = await call('PATCH', '/admin/activities/never-sent', { status: 'recognized' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'No activity "never-sent"' });
    const item = activity();
    await deliver([item]);
    const bad = await call('PATCH', `/admin/activities/${item.activityId}`, { status: 'approved' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^status: must be one of/);
  });

  it('requires the admin token', async () => {
    const response = await system.api('/admin/activities/x', {
      method: 'PATCH',
      body: '{"status":"recognized"}',
      auth: false,
    });
    expect(response.status).toBe(401);
  });
});

describe('POST /admin/members/merge', () => {
  it('records a merge of identities some activity arrived with, normalised', async () => {
    await deliver([
      activity({ type: 'talk', member: { email: 'Linus@Example.com' } }),
      activity({ type: 'talk', member: { github: 'torvalds' } }),
    ]);
    const response = await call('POST', '/admin/members/merge', {
      identities: [{ github: '@Torvalds' }, { email: ' linus@example.com' }],
    });
    expect(response.status).toBe(200);
    const merged = ['email:linus@example.com', 'github:torvalds'];
    expect(await response.json()).toEqual({ merged });
    // Merging again is the same fact, not a second one.
    await call('POST', '/admin/members/merge', {
      identities: [{ email: 'linus@example.com' }, { github: 'torvalds' }],
    });
    expect((await memberMerges()).filter((m) => m.identities.includes('github:torvalds'))).toEqual([
      { identities: merged, mergedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
  });

  it('answers 404 naming an identity no member has', async () => {
    await deliver([activity({ member: { forum: 'known-handle' } })]);
    const response = await call('POST', '/admin/members/merge', {
      identities: [{ forum: 'Known-Handle' }, { github: 'nobody-here' }],
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/github:nobody-here/);
  });

  it('answers 400 for fewer than two identities or an identity of several kinds', async () => {
    const bodies = [
      { identities: [{ email: 'a@example.com' }] },
      { identities: [{ email: 'a@example.com' }, { email: 'A@example.com' }] },
      { identities: [{ email: 'a@example.com', github: 'a' }, { github: 'b' }] },
      { identities: [{ name: 'Ada' }, { github: 'b' }] },
      { identities: 'a@example.com' },
    ];
    for (const body of bodies) {
      const response = await call('POST', '/admin/members/merge', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('/admin/programs/{year}', () => {
  it('answers the default program for a year before any program', async () => {
    const response = await call('GET', '/admin/programs/2001');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ year: 2001, tiers: defaultTiers, from: null });
  });

  it('stores a program and uses it for later years until the next one', async () => {
    const tiers2025 = [
      tier(),
      tier({ id: 'answers', name: 'Helper', minCount: 20, counts: ['answer'] }),
    ];
    const put = await call('PUT', '/admin/programs/2025', { tiers: tiers2025 });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ year: 2025, tiers: tiers2025, from: 2025 });
    await call('PUT', '/admin/programs/2028', { tiers: [tier({ minCount: 5 })] });
    const program = async (year: number) => (await call('GET', `/admin/programs/${year}`)).json();
    expect(await program(2024)).toEqual({ year: 2024, tiers: defaultTiers, from: null });
    expect(await program(2027)).toEqual({ year: 2027, tiers: tiers2025, from: 2025 });
    expect(await program(2028)).toMatchObject({ from: 2028, tiers: [{ minCount: 5 }] });
  });

  it('answers 400 for a year outside 2000–2100 or an invalid program', async () => {
    expect((await call('GET', '/admin/programs/1999')).status).toBe(400);
    expect((await call('PUT', '/admin/programs/2101', { tiers: [tier()] })).status).toBe(400);
    expect((await call('GET', '/admin/programs/20x5')).status).toBe(400);
    const invalid = [
      { tiers: [] },
      { tiers: [tier(), tier()] },
      { tiers: [tier({ id: '' })] },
      { tiers: [tier({ id: 'x'.repeat(65) })] },
      { tiers: [tier({ name: ' ' })] },
      { tiers: [tier({ minCount: 0 })] },
      { tiers: [tier({ minCount: 2.5 })] },
      { tiers: [tier({ counts: [] })] },
      { tiers: [tier({ counts: ['article'] })] },
      { tiers: [tier({ counts: ['talk', 'talk'] })] },
      { tiers: [tier({ mincount: 3 })] },
    ];
    for (const body of invalid) {
      const response = await call('PUT', '/admin/programs/2030', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toHaveProperty('error');
    }
    const content = await call('PUT', '/admin/programs/2030', {
      tiers: [tier({ counts: ['article'] })],
    });
    expect(((await content.json()) as { error: string }).error).toMatch(/recognized-content/);
    const unchanged = (await (await call('GET', '/admin/programs/2030')).json()) as {
      from: unknown;
    };
    expect(unchanged.from).not.toBe(2030);
  });
});
