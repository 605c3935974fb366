import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSigned } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const deliver = (body: unknown, options: { secret?: string; id?: string; at?: Date } = {}) =>
  deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    options.secret ?? system.secrets.telemetrySecret,
    body,
    options,
  );

interface StoreCounts {
  accepted: number;
  duplicates: number;
}

const event = (overrides: Record<string, unknown> = {}) => ({
  clusterId: `c-${randomUUID().slice(0, 8)}`,
  accountId: 'acme',
  environment: 'production',
  nodes: 10,
  reportedAt: '2026-03-15T10:00:00+08:00',
  ...overrides,
});

describe('POST /webhooks/telemetry', () => {
  it('accepts a signed batch and answers 202 with counts', async () => {
    const response = await deliver({ events: [event(), event()] });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  it('refuses a missing, wrong or stale signature with 401', async () => {
    const body = { events: [event()] };
    const wrongSecret = `whsec_${Buffer.from('not the secret').toString('base64')}`;
    expect((await deliver(body, { secret: wrongSecret })).status).toBe(401);
    expect((await deliver(body, { at: new Date(Date.now() - 301_000) })).status).toBe(401);
    expect((await deliver(body, { at: new Date(Date.now() + 301_000) })).status).toBe(401);
    const unsigned = await fetch(`${system.apiUrl}/webhooks/telemetry`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toHaveProperty('error');
  });

  it('counts a redelivered event once and reports it as a duplicate', async () => {
    const batch = { events: [event({ eventId: randomUUID() }), event()] };
    const first = await deliver(batch);
    const again = await deliver(batch);
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('counts a batch delivered concurrently many times exactly once', async () => {
    const batch = { events: Array.from({ length: 40 }, () => event()) };
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(batch)));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as StoreCounts[];
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(40);
    expect(bodies.reduce((sum, b) => sum + b.duplicates, 0)).toBe(160);
  });

  it('stores the valid items of a batch and names the index and problem of the others', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const response = await deliver({
      events: [
        event(),
        event({ nodes: -1 }),
        event({ clusterId: undefined }),
        event({ reportedAt: future }),
        event({ reportedAt: '2026-03-15T10:00:00' }),
        event({ nodes: undefined, components: { tidb: 4, tikv: 40, pd: 3 } }),
        event({ nodes: undefined }),
        event({ environment: 'prod' }),
      ],
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as StoreCounts & {
      rejected: { index: number; error: string }[];
    };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(body.rejected[0]?.error).toBe('nodes must be an integer >= 0');
    expect(body.rejected[2]?.error).toMatch(
      /reportedAt must not be more than 5 minutes in the future/,
    );
  });

  it('answers 400 for a body that is not JSON or not the envelope', async () => {
    for (const body of ['not json', '[]', '{"items":[]}', '{"events":{}}']) {
      const response = await deliver(body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toHaveProperty('error');
    }
  });

  it('answers 413 for more than 1,000 items or more than 1 MiB', async () => {
    const many = await deliver({ events: Array.from({ length: 1001 }, () => event()) });
    expect(many.status).toBe(413);
    const big = await deliver({ events: [event({ version: 'x'.repeat(1024 * 1024) })] });
    expect(big.status).toBe(413);
  });

  it('accepts a signature made with any of several rotated secrets', async () => {
    const old = `whsec_${Buffer.from('an older secret, still valid').toString('base64')}`;
    const saved = process.env.FLYWHEEL_TELEMETRY_SECRET;
    process.env.FLYWHEEL_TELEMETRY_SECRET = `${saved} ${old}`;
    try {
      expect((await deliver({ events: [event()] }, { secret: old })).status).toBe(202);
    } finally {
      process.env.FLYWHEEL_TELEMETRY_SECRET = saved;
    }
  });
});
