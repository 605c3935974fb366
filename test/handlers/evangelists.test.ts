import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const post = (path: string, secret: string, body: unknown) =>
  deliverSigned(`${system.apiUrl}${path}`, secret, body);

const activity = (
  id: string,
  type: string,
  occurredAt: string,
  member: object,
  status?: string,
) => ({
  activityId: id,
  type,
  occurredAt,
  member,
  ...(status ? { status } : {}),
});

interface Evangelist {
  identities: string[];
  counts: Record<string, number>;
  tiers: string[];
  accountId: string | null;
}

async function evangelists(query: string) {
  const response = await system.api(`/evangelists?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { year: number; asOf: string; members: Evangelist[] };
}

describe('GET /evangelists and champion coverage', () => {
  it('counts a member once across identities and reaches tiers per the default program', async () => {
    const ada = { email: 'Ada@Example.com', accountId: 'acme' };
    const response = await post('/webhooks/community', system.secrets.communitySecret, {
      activities: [
        activity('t1', 'talk', '2025-02-01T10:00:00Z', ada),
        activity('t2', 'talk', '2025-03-01T10:00:00Z', {
          email: ' ada@example.com',
          github: 'Ada',
        }),
        activity('a1', 'article', '2025-04-01T10:00:00Z', { github: '@ada' }, 'recognized'),
        activity('a2', 'article', '2025-04-02T10:00:00Z', { github: 'ada' }),
        activity('r1', 'talk', '2025-04-03T10:00:00Z', { github: 'ada' }, 'rejected'),
        activity('b1', 'answer', '2025-05-01T10:00:00Z', { forum: 'bob' }),
      ],
    });
    expect(response.status).toBe(202);
    const march = await evangelists('year=2025&asOf=2025-03');
    expect(march.members).toHaveLength(1);
    expect(march.members[0]?.tiers).toEqual([]);
    const whole = await evangelists('year=2025');
    expect(whole.asOf).toBe('2025-12');
    const members = new Map(whole.members.map((m) => [m.identities.join(' '), m]));
    const adaRow = members.get('email:ada@example.com github:ada');
    expect(adaRow).toMatchObject({ tiers: ['mve'], accountId: 'acme' });
    expect(adaRow?.counts).toMatchObject({ talk: 2, 'recognized-content': 1 });
    expect(members.get('forum:bob')?.counts).toMatchObject({ answer: 1 });
    expect((await system.api('/evangelists?year=2025&asOf=2024-12')).status).toBe(400);
    expect((await system.api('/evangelists?year=twenty')).status).toBe(400);
  });

  it('answers as the recalculation of asOf stored them, and from the facts for a month never recalculated', async () => {
    const talk = (id: string, day: string, github: string) =>
      activity(id, 'talk', `2024-${day}T10:00:00Z`, { github });
    const deliver = async (activities: object[]) =>
      expect(
        (await post('/webhooks/community', system.secrets.communitySecret, { activities })).status,
      ).toBe(202);
    const recalculate = async (from: string, to: string) => {
      const job = await system.api('/admin/recalculate', {
        method: 'POST',
        body: JSON.stringify({ from, to }),
      });
      await waitForJob(system.api, ((await job.json()) as { jobId: string }).jobId);
    };
    const listed = async (query: string) =>
      (await evangelists(query)).members.map((m) => [m.identities.join(' '), m.tiers]);
    await deliver([talk('s1', '01-10', 'grace'), talk('s2', '02-10', 'grace')]);
    await recalculate('2024-01', '2024-03');
    await deliver([talk('s3', '03-10', 'grace'), talk('s4', '03-11', 'linus')]);
    // Computed before the last two talks arrived: March shows what its recalculation saw.
    expect(await listed('year=2024&asOf=2024-03')).toEqual([['github:grace', []]]);
    // April was never recalculated: it is computed from the stored facts on request.
    const april = await listed('year=2024&asOf=2024-04');
    expect(april).toContainEqual(['github:grace', ['mve']]);
    expect(april).toContainEqual(['github:linus', []]);
    await recalculate('2024-03', '2024-03');
    expect(await listed('year=2024&asOf=2024-03')).toEqual(april);
  });

  it('fills champion coverage: the share of KAs with an active affiliated member', async () => {
    const events = ['acme', 'globex'].map((accountId) => ({
      clusterId: `${accountId}-1`,
      accountId,
      environment: 'production',
      nodes: 80,
      reportedAt: '2025-04-10T00:00:00Z',
    }));
    expect(
      (await post('/webhooks/telemetry', system.secrets.telemetrySecret, { events })).status,
    ).toBe(202);
    const job = await system.api('/admin/recalculate', {
      method: 'POST',
      body: JSON.stringify({ from: '2025-03', to: '2025-04' }),
    });
    await waitForJob(system.api, ((await job.json()) as { jobId: string }).jobId);
    const rows = (await (await system.api('/metrics/ka?from=2025-03&to=2025-04')).json()) as {
      months: { month: string; championCoverage: number | null }[];
    };
    expect(rows.months.map((r) => [r.month, r.championCoverage])).toEqual([
      ['2025-03', null],
      ['2025-04', 0.5],
    ]);
  });
});
