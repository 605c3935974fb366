import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommunityActivity,
  expectedEvangelists,
  type Identities,
  identityKeysOf,
} from '../support/community-expectations.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { postWebhook } from '../support/webhook-client.js';

/**
 * SPEC §1 "Members and identities" under concurrency: 20 deliveries arrive at once, each joining
 * two identities of one person (a0+a1, a1+a2, …, a19+a20) and repeating its neighbour's activity.
 * However they interleave, the person is one member with every identity, each activity counted once.
 */
const N = 20;

/** Identity k of the chain, cycling through the kinds, written as senders do (case, spaces, `@`). */
const identity = (k: number, variant: boolean): Identities => {
  const value = `Chain${k}`;
  if (k % 3 === 0) return { email: variant ? `  ${value}@Example.COM ` : `${value}@example.com` };
  if (k % 3 === 1) return { github: variant ? `@${value.toUpperCase()}` : value };
  return { forum: variant ? ` ${value} ` : value.toLowerCase() };
};

const activities: CommunityActivity[] = Array.from({ length: N }, (_, k) => ({
  activityId: `chain-${k}`,
  type: k % 2 === 0 ? 'talk' : 'answer',
  member: { ...identity(k, k % 2 === 0), ...identity(k + 1, k % 2 === 1), name: 'Chain Person' },
  occurredAt: `2024-03-${String(k + 1).padStart(2, '0')}T10:00:00+08:00`,
}));

/** Delivery k: activity k and, again, activity k+1 (the last one repeats the first). */
const deliveries = activities.map((activity, k) => [activity, activities[(k + 1) % N]]);

interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: unknown[];
}

describe('concurrent deliveries that merge one member', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  const deliverAll = async (round: string) => {
    const responses = await Promise.all(
      deliveries.map((items, k) =>
        postWebhook(
          system.apiUrl,
          '/webhooks/community',
          system.secrets.communitySecret,
          { activities: items },
          { id: `msg_chain_${round}_${k}` },
        ),
      ),
    );
    for (const { status } of responses) expect(status).toBe(202);
    const results = responses.map((r) => r.json as IngestResult);
    for (const result of results) expect(result.rejected).toEqual([]);
    return {
      accepted: results.reduce((sum, r) => sum + r.accepted, 0),
      duplicates: results.reduce((sum, r) => sum + r.duplicates, 0),
    };
  };

  it('accepts each activity exactly once, whichever delivery wins', async () => {
    const config = await system.api('/admin/config', {
      method: 'PUT',
      body: JSON.stringify({ timezone: 'Asia/Shanghai' }),
    });
    expect(config.status).toBe(200);
    expect(await deliverAll('first')).toEqual({ accepted: N, duplicates: N });
    expect(await deliverAll('again')).toEqual({ accepted: 0, duplicates: 2 * N });
  });

  it('lists one member with every identity and every activity once', async () => {
    const response = await system.api('/evangelists?year=2024&asOf=2024-12');
    expect(response.status).toBe(200);
    const { members } = (await response.json()) as {
      members: { identities: string[]; counts: Record<string, number> }[];
    };
    const identities = Array.from({ length: N + 1 }, (_, k) => identityKeysOf(identity(k, false)));
    expect(members).toHaveLength(1);
    expect(members[0]?.identities).toEqual(identities.flat().sort());
    expect(members[0]?.counts).toMatchObject({ talk: N / 2, answer: N / 2 });
    // The oracle agrees on the whole row.
    const facts = {
      timezone: 'Asia/Shanghai',
      deliveries: deliveries.flat().filter((a) => a !== undefined),
      merges: [],
      reviews: [],
      programs: new Map(),
    };
    const [expected] = expectedEvangelists(facts, 2024, '2024-12');
    expect(members[0]).toMatchObject({ ...expected });
  });
});
