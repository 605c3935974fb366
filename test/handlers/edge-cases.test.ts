/**
 * Issue #10: small inputs real senders and clients send, each kind with its example and variants,
 * through the real handlers in local mode. Each failed before the fix.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { monthOf } from '../../lambdas/domain/month.js';
import { countRejections } from '../../lambdas/store/rejections-store.js';
import { env } from '../../lambdas/system.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { signedDelivery } from '../support/webhook-client.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const raw = (path: string, init: RequestInit = {}) => fetch(`${system.apiUrl}${path}`, init);

async function expectJsonError(response: Response, status: number): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

const telemetry = (body: unknown, options: { id?: string } = {}) =>
  deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    body,
    options,
  );
const community = (body: unknown) =>
  deliverSigned(`${system.apiUrl}/webhooks/community`, system.secrets.communitySecret, body);

describe('the Authorization scheme (RFC 9110: case-insensitive)', () => {
  it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('accepts "%s <token>"', async (scheme) => {
    const response = await raw('/admin/config', {
      headers: { authorization: `${scheme} ${system.secrets.adminToken}` },
    });
    expect(response.status).toBe(200);
  });

  it('accepts several spaces after the scheme', async () => {
    const response = await raw('/admin/config', {
      headers: { authorization: `Bearer    ${system.secrets.adminToken}` },
    });
    expect(response.status).toBe(200);
  });

  it.each(['Basic', 'Bearertoken', 'Token'])(
    'still refuses the scheme %s with a JSON 401',
    async (scheme) => {
      const token = system.secrets.adminToken;
      const header = scheme === 'Bearertoken' ? `Bearer${token}` : `${scheme} ${token}`;
      await expectJsonError(
        await raw('/admin/config', { headers: { authorization: header } }),
        401,
      );
    },
  );
});

describe('malformed percent-encoding', () => {
  it.each([
    '/metrics/ka/%E0%A4%A/accounts',
    '/admin/jobs/%ZZ',
    '/admin/jobs/%',
    '/reports/%C0%AF',
    '/metrics/ka?from=%ZZ&to=2026-01',
    '/evangelists?year=2026&asOf=%E0%A4',
    '/admin/rejections?source=%FF%FE',
  ])('%s is a JSON 400, with or without a token', async (path) => {
    await expectJsonError(await system.api(path), 400);
    await expectJsonError(await raw(path), 400);
  });

  it('leaves well-formed encodings alone', async () => {
    expect((await system.api('/metrics/ka?from=2026%2D01&to=2026-02')).status).toBe(200);
    await expectJsonError(await system.api('/admin/jobs/%E2%9C%93'), 404);
  });
});

describe('paths and methods no route matches', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/metrics/ka/'],
    ['GET', '/admin/config/'],
    ['DELETE', '/admin/config'],
    ['POST', '/health'],
    ['GET', '/webhooks/telemetry'],
  ])('%s %s is a JSON 404, with or without a token', async (method, path) => {
    await expectJsonError(await system.api(path, { method }), 404);
    await expectJsonError(await raw(path, { method }), 404);
  });
});

describe('instants', () => {
  it('keep the later of two snapshots within one millisecond as the month value', async () => {
    const clusterId = `c-${randomUUID().slice(0, 8)}`;
    const snapshot = (reportedAt: string, nodes: number) => ({
      clusterId,
      accountId: 'submilli',
      environment: 'production',
      nodes,
      reportedAt,
    });
    // The later one first: the first version kept 60 either way (same millisecond, more nodes).
    const answer = await telemetry({
      events: [
        snapshot('2012-09-10T10:00:00.0009Z', 35),
        snapshot('2012-09-10T10:00:00.0001Z', 60),
      ],
    });
    expect(await answer.json()).toMatchObject({ accepted: 2, rejected: [] });
    const job = (await (
      await system.api('/admin/recalculate', {
        method: 'POST',
        body: JSON.stringify({ from: '2012-09', to: '2012-09' }),
      })
    ).json()) as { jobId: string };
    await waitForJob(system.api, job.jobId);
    const list = (await (await system.api('/metrics/ka/2012-09/accounts')).json()) as {
      accounts: { accountId: string; productionNodes: number; status: string }[];
    };
    expect(list.accounts.find((a) => a.accountId === 'submilli')).toEqual(
      expect.objectContaining({ productionNodes: 35, status: 'near' }),
    );
  });

  it.each([
    '2012-11-15T10:00Z',
    '2012-11-15T15:30+0530',
    '2012-11-15T15:00+05',
    '2012-11-15T05:00:00.123456789-05',
  ])('accepts reportedAt and occurredAt written %s', async (at) => {
    const t = await telemetry({
      events: [
        {
          clusterId: `c-${randomUUID().slice(0, 8)}`,
          environment: 'production',
          nodes: 1,
          reportedAt: at,
        },
      ],
    });
    expect(await t.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const c = await community({
      activities: [
        { activityId: randomUUID(), type: 'talk', occurredAt: at, member: { github: 'iso' } },
      ],
    });
    expect(await c.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('still rejects an instant without an offset, naming the forms it takes', async () => {
    const t = await telemetry({
      events: [
        { clusterId: 'c-x', environment: 'production', nodes: 1, reportedAt: '2012-11-15T10:00' },
      ],
    });
    const body = (await t.json()) as { rejected: { error: string }[] };
    expect(body.rejected[0]?.error).toMatch(/reportedAt .*zone offset/);
  });
});

describe('identities in two Unicode forms', () => {
  it('make one member of josé sent in NFC and in NFD, and of bücher.example and its punycode', async () => {
    const at = '2025-03-01T10:00:00Z';
    const talk = (member: object) => ({
      activityId: randomUUID(),
      type: 'talk',
      occurredAt: at,
      member,
    });
    const answer = await community({
      activities: [
        talk({ forum: 'jos\u00e9' }),
        talk({ forum: 'jose\u0301' }),
        talk({ email: 'Ana@B\u00fccher.example', github: 'ana-unicode' }),
        talk({ email: 'ana@xn--bcher-kva.example' }),
      ],
    });
    expect(await answer.json()).toMatchObject({ accepted: 4, rejected: [] });
    const { members } = (await (await system.api('/evangelists?year=2025')).json()) as {
      members: { identities: string[]; counts: { talk: number } }[];
    };
    const jose = members.filter((m) => m.identities.some((i) => i.startsWith('forum:jos')));
    expect(jose).toHaveLength(1);
    expect(jose[0]?.counts.talk).toBe(2);
    const ana = members.filter((m) => m.identities.includes('email:ana@xn--bcher-kva.example'));
    expect(ana).toHaveLength(1);
    expect(ana[0]?.counts.talk).toBe(2);
  });

  it('accept internationalised email addresses (RFC 6531)', async () => {
    const answer = await community({
      activities: [
        {
          activityId: randomUUID(),
          type: 'talk',
          occurredAt: '2025-03-02T10:00:00Z',
          member: { email: '用户@例子.广告' },
        },
      ],
    });
    expect(await answer.json()).toMatchObject({ accepted: 1, rejected: [] });
  });
});

describe('bodies that are not UTF-8', () => {
  const bytes = Buffer.concat([
    Buffer.from('{"events":[{"clusterId":"c-'),
    Buffer.from([0xff]),
    Buffer.from('"}]}'),
  ]);

  it.each(['telemetry', 'community'])(
    'a correctly signed one is a JSON 400 on the %s webhook, not a 401',
    async (source) => {
      const secret =
        source === 'telemetry' ? system.secrets.telemetrySecret : system.secrets.communitySecret;
      const signed = signedDelivery(secret, bytes);
      const response = await raw(`/webhooks/${source}`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      });
      expect(await expectJsonError(response, 400)).toMatch(/UTF-8/);
    },
  );

  it('is a JSON 400 on an admin route too, never parsed with replacement characters', async () => {
    const body = Buffer.concat([
      Buffer.from('{"name":"Caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const response = await system.api('/admin/accounts/latin1', { method: 'PUT', body });
    expect(await expectJsonError(response, 400)).toMatch(/UTF-8/);
  });

  it('a UTF-8 body with a byte-order mark is read', async () => {
    const body = `\uFEFF${JSON.stringify({ events: [{ clusterId: 'c-bom', environment: 'test', nodes: 1, reportedAt: '2026-01-01T00:00:00Z' }] })}`;
    expect(await (await telemetry(body)).json()).toMatchObject({ accepted: 1 });
  });
});

describe('a malformed secret in a rotation list', () => {
  const variable = env.secret.telemetrySecret;
  let original: string | undefined;
  beforeAll(() => {
    original = process.env[variable];
  });
  afterEach(() => {
    process.env[variable] = original;
  });

  it.each([
    ['URL-safe base64', 'whsec_ab-_cd-_'],
    ['a bare whsec_', 'whsec_'],
    ['a cut value', 'whsec_abc'],
  ])('(%s) is skipped and the valid secret after it still verifies', async (_, malformed) => {
    process.env[variable] = `${malformed} ${system.secrets.telemetrySecret}`;
    const response = await telemetry({
      events: [
        {
          clusterId: `c-${randomUUID().slice(0, 8)}`,
          environment: 'test',
          nodes: 1,
          reportedAt: '2026-01-01T00:00:00Z',
        },
      ],
    });
    expect(response.status).toBe(202);
  });

  it('when no secret is usable, tells the sender to retry later (503 with Retry-After)', async () => {
    process.env[variable] = 'whsec_ whsec_a-b_';
    const response = await telemetry({ events: [] });
    await expectJsonError(response, 503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('rejected items', () => {
  const good = () => ({
    clusterId: `c-${randomUUID().slice(0, 8)}`,
    environment: 'test',
    nodes: 1,
    reportedAt: '2026-01-01T00:00:00Z',
  });
  const huge = {
    clusterId: 'c-huge',
    environment: 'production',
    nodes: -1,
    reportedAt: '2026-01-01T00:00:00Z',
    version: 'v'.repeat(10_000),
  };

  interface Listed {
    rejections: {
      source: string;
      webhookId: string;
      index: number;
      error: string;
      item: unknown;
      at: string;
    }[];
    nextCursor: string | null;
  }
  const list = async (query = '') => {
    const response = await system.api(`/admin/rejections${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Listed;
  };

  it('are kept with source, delivery, index, error and item, listed newest first, once per redelivery', async () => {
    const id = `msg_${randomUUID()}`;
    const body = { events: [good(), { ...good(), nodes: 'many' }, huge] };
    // The month's count (SPEC §5), in the reporting zone (UTC by default); the store runs in-process.
    const month = monthOf(new Date(), 'UTC');
    const counted = await countRejections(month);
    const first = await telemetry(body, { id });
    expect(((await first.json()) as { rejected: unknown[] }).rejected).toHaveLength(2);
    await telemetry(body, { id }); // the sender retries the same delivery
    expect(await countRejections(month)).toBe(counted + 2);
    const mine = (await list('?source=telemetry')).rejections.filter((r) => r.webhookId === id);
    expect(mine.map((r) => r.index).sort()).toEqual([1, 2]);
    const [one, two] = [mine.find((r) => r.index === 1), mine.find((r) => r.index === 2)];
    expect(one).toMatchObject({ source: 'telemetry', error: expect.stringMatching(/^nodes /) });
    expect(one?.item).toMatchObject({ nodes: 'many' });
    // More than 4 KiB of JSON: kept as its first 4 KiB, as text.
    expect(typeof two?.item).toBe('string');
    expect(Buffer.byteLength(String(two?.item))).toBeLessThanOrEqual(4096);
    expect(String(two?.item)).toMatch(/^\{"clusterId":"c-huge"/);
  });

  it('walk page by page to the same list, with no duplicates; a foreign cursor is a 400', async () => {
    await community({
      activities: Array.from({ length: 5 }, (_, i) => ({
        activityId: `bad-${i}`,
        type: 'nope',
        member: {},
      })),
    });
    const whole = await list('?limit=1000');
    const walked: Listed['rejections'] = [];
    let cursor: string | null = null;
    do {
      const page: Listed = await list(
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.rejections.length).toBeLessThanOrEqual(2);
      walked.push(...page.rejections);
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(whole.rejections);
    expect(whole.rejections.length).toBeGreaterThanOrEqual(7);
    const newestFirst = whole.rejections.map((r) => r.at);
    expect(newestFirst).toEqual([...newestFirst].sort().reverse());
    expect(
      (await list('?source=community')).rejections.every((r) => r.source === 'community'),
    ).toBe(true);
    await expectJsonError(await system.api('/admin/rejections?cursor=garbage'), 400);
    await expectJsonError(await system.api('/admin/rejections?limit=0'), 400);
    await expectJsonError(await system.api('/admin/rejections?source=nope'), 400);
    await expectJsonError(await system.api('/admin/rejections?from=2026-05&to=2026-01'), 400);
  });

  it('are listed only to an admin', async () => {
    await expectJsonError(await raw('/admin/rejections'), 401);
  });
});
