/**
 * Bugs the security fuzz found, each kept as the exact request that found it and what the fixed
 * code must answer, so none can come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { expectSafe, send } from './support/fuzz.js';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

const asAdmin = (path: string, init: RequestInit = {}) =>
  send(`${system.apiUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${system.secrets.adminToken}`,
      'content-type': 'application/json',
    },
  });

async function deliver(source: 'telemetry' | 'community', body: unknown) {
  const secret =
    source === 'telemetry' ? system.secrets.telemetrySecret : system.secrets.communitySecret;
  const response = await deliverSigned(`${system.apiUrl}/webhooks/${source}`, secret, body);
  return {
    request: `POST /webhooks/${source}`,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

const event = (components: Record<string, number>) => ({
  clusterId: 'c-1',
  environment: 'production',
  components,
  reportedAt: new Date().toISOString(),
});

const activity = (activityId: string) => ({
  activityId,
  type: 'talk',
  member: { github: 'ada' },
  occurredAt: new Date().toISOString(),
});

describe('POST /webhooks/telemetry (lambdas/ingestion/telemetry.ts)', () => {
  // Found by the fuzz: an empty component name passes validation and DynamoDB refuses the empty map key: the
  // whole delivery, valid items included, answers 500 on every retry.
  it('answers a component with an empty name with a 202 or a 400, never a 500', async () => {
    expectSafe(await deliver('telemetry', { events: [event({ '': 0 })] }));
  });

  // Found by the fuzz: a component named `constructor` passes validation, but the DynamoDB marshaller tells
  // maps by `value.constructor.name === 'Object'`, so {"constructor":1} is an unsupported type:
  // 500 for the whole delivery. (A component named `__proto__` is silently dropped by zod.)
  it('answers a component named constructor with a 202 or a 400, never a 500', async () => {
    expectSafe(await deliver('telemetry', { events: [event({ constructor: 1 })] }));
  });

  // Found by the fuzz: `components` has no bound on its names; ~30,000 of them (a 0.9 MB body, under the 1 MiB
  // limit) make an item over DynamoDB's 400 KB: 500 on every retry.
  it('stores components named like Object.prototype members, or refuses them, never a 500', async () => {
    expectSafe(await deliver('telemetry', { events: [event({ constructor: 1, toString: 2 })] }));
  });

  it('answers an event whose components exceed one DynamoDB item with a 4xx', async () => {
    const names = Array.from({ length: 30_000 }, (_, i) => [`component-number-${i}`, 0]);
    expectSafe(await deliver('telemetry', { events: [event(Object.fromEntries(names))] }));
  });
});

describe('community activity ids (ingestion/community.ts, api/community-routes.ts)', () => {
  // Found by the fuzz: zod counts `max(256)` in code points, so 250 emoji (1,000 UTF-8 bytes) pass, but the
  // activity's gsi1 sort key `<instant>#<activityId>` then exceeds DynamoDB's 1,024 bytes: 500.
  it('answers an activityId of 250 emoji with a 202 or a 400, never a 500', async () => {
    expectSafe(await deliver('community', { activities: [activity('😀'.repeat(250))] }));
  });

  // Found by the fuzz: the webhook accepts 200 emoji (256 code points at most), but PATCH checks `length > 256`
  // in UTF-16 units (400 here): the stored activity can never be reviewed (400).
  it('lets an admin review any activity the webhook accepted', async () => {
    const id = '😀'.repeat(190); // 760 bytes: the longest emoji id the webhook accepts
    const stored = await deliver('community', { activities: [activity(id)] });
    expect(JSON.parse(stored.text)).toMatchObject({ accepted: 1, rejected: [] });
    const answer = await asAdmin(`/admin/activities/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: '{"status":"rejected"}',
    });
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('path parameters (lambdas/http/errors.ts)', () => {
  // Found by the fuzz: the Powertools router refuses a whitespace-only parameter (`%20`, `%09`, `%EF%BB%BF`)
  // with a ParameterValidationError, which `toErrorResponse` does not map: 500 on all nine
  // parametrised routes — before the token check, so also without a token.
  it.each([
    ['GET', '/admin/jobs/%20'],
    ['GET', '/metrics/ka/%09/accounts'],
    ['PUT', '/admin/accounts/%EF%BB%BF'],
    ['GET', '/reports/%20'],
  ])('answers %s %s with a JSON 4xx', async (method, path) => {
    const answer = await asAdmin(path, { method, body: method === 'GET' ? null : '{}' });
    expectSafe(answer);
    const anonymous = await send(`${system.apiUrl}${path}`, { method });
    expect(anonymous.status).toBe(401);
  });
});

describe('PUT /admin/config (api/config-routes.ts)', () => {
  // Found by the fuzz: `yearlyTarget` is any positive number, but the DynamoDB marshaller refuses numbers over
  // 2^53 - 1 and DynamoDB those under 1e-130: 500 with {"yearlyTarget":1e20} or {"yearlyTarget":1e-131}.
  it.each([1e20, 1e-131])('answers yearlyTarget %d with a 200 or a 400', async (target) => {
    expectSafe(
      await asAdmin('/admin/config', { method: 'PUT', body: `{"yearlyTarget":${target}}` }),
    );
  });

  // Found by the fuzz: a check-then-act race. Each PUT checks nearKaThreshold <= kaThreshold against the
  // configuration it read, then writes only its own fields: {"kaThreshold":40} and
  // {"nearKaThreshold":45} sent together from the defaults (50/30) both pass and store 40/45.
  it('never stores nearKaThreshold above kaThreshold, even under concurrent updates', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      await asAdmin('/admin/config', {
        method: 'PUT',
        body: '{"kaThreshold":50,"nearKaThreshold":30}',
      });
      await Promise.all([
        asAdmin('/admin/config', { method: 'PUT', body: '{"kaThreshold":40}' }),
        asAdmin('/admin/config', { method: 'PUT', body: '{"nearKaThreshold":45}' }),
      ]);
      const config = JSON.parse((await asAdmin('/admin/config')).text) as Record<string, number>;
      expect(config.nearKaThreshold, `attempt ${attempt}`).toBeLessThanOrEqual(
        config.kaThreshold ?? 0,
      );
    }
  });

  // Found by the fuzz: `countedEnvironments` has no maximum and allows repeats; 45,000 x "production" make an
  // item over DynamoDB's 400 KB: 500 (and 20,000 are stored and served by every GET).
  it('answers a countedEnvironments of 45,000 entries with a 400', async () => {
    const body = JSON.stringify({ countedEnvironments: Array(45_000).fill('production') });
    const answer = await asAdmin('/admin/config', { method: 'PUT', body });
    expect(answer.status).toBe(400);
  });
});

describe('PUT /admin/programs/{year} (domain/eligibility.ts)', () => {
  // Found by the fuzz: tier `counts` has no maximum and `validateTiers` finds repeats with indexOf in a loop:
  // 100,000 distinct names (0.8 MB) take ~7 s of CPU and answer a 2.6 MB error; API Gateway's
  // 10 MB allows ~1.2 million, which would run past the 29 s Lambda timeout.
  it('answers 100,000 counted kinds with a 400 within a second', async () => {
    const counts = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    const body = JSON.stringify({ tiers: [{ id: 'a', name: 'A', minCount: 1, counts }] });
    const started = performance.now();
    const answer = await asAdmin('/admin/programs/2026', { method: 'PUT', body });
    expect(answer.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(answer.text.length).toBeLessThan(10_000);
  });
});

describe('POST /admin/recalculate (api/job-routes.ts)', () => {
  // Found by the fuzz: a range from 1970-01 is accepted (202), but computing 1970-01 reads 1969-12, which no
  // month can be: the job always ends "failed" ("Recalculation failed; see the logs and retry").
  it('refuses a recalculation from 1970-01 up front, or completes it', async () => {
    const answer = await asAdmin('/admin/recalculate', {
      method: 'POST',
      body: '{"from":"1970-01","to":"1970-02"}',
    });
    if (answer.status === 400) return;
    const { jobId } = JSON.parse(answer.text) as { jobId: string };
    const api = (path: string) =>
      fetch(`${system.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${system.secrets.adminToken}` },
      });
    await expect(waitForJob(api, jobId)).resolves.toMatchObject({ status: 'succeeded' });
  });
});
