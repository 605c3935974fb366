import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  accountResponse,
  accountsResponse,
  activitiesResponse,
  clusterResponse,
  clustersResponse,
  jobsResponse,
  memberResponse,
  membersResponse,
} from '../../lambdas/handlers/api/evidence-schemas.js';
import {
  evangelistsResponse,
  kaAccountsResponse,
  kaMonthsResponse,
} from '../../lambdas/handlers/api/route-docs.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * The evidence routes (SPEC §7) against local mode, on a small story whose numbers are worked out
 * by hand from SPEC §1 (UTC, KA at 50, near at 30, production counted):
 *
 * 2025-01: acme a1 60 (+ a2 staging 100); beta b1 35 + m1 20 (m1 names gamma, the admin maps it
 *   to beta) = 55; delta x1 10; unattributed u1 7 + u2 12 = 19 (+ s1 staging 5, not counted).
 * 2025-02: acme a1 40 (churned, near); beta 55 (retained); x1 15 without an account, still delta's
 *   (its latest account-bearing snapshot named delta); unattributed u1 8 + -f1 3 = 11.
 */
let system: TestSystem;

const snapshot = (
  clusterId: string,
  accountId: string | null,
  nodes: number,
  at: string,
  environment = 'production',
) => ({
  clusterId,
  ...(accountId ? { accountId } : {}),
  environment,
  nodes,
  reportedAt: at,
});

const activity = (
  activityId: string,
  type: string,
  member: Record<string, string>,
  occurredAt: string,
) => ({
  activityId,
  type,
  member,
  occurredAt,
  title: `Title of ${activityId}`,
});

const jan = '2025-01-10T00:00:00Z';
const feb = '2025-02-10T00:00:00Z';

async function call(path: string, init: RequestInit & { auth?: boolean } = {}) {
  return system.api(path, init);
}

async function body<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  const response = await call(path);
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
  return schema.parse(await response.json());
}

const jobIds: string[] = [];
async function recalculate(from: string, to: string) {
  const response = await call('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from, to }),
  });
  expect(response.status).toBe(202);
  const { jobId } = (await response.json()) as { jobId: string };
  jobIds.push(jobId);
  await waitForJob(system.api, jobId);
}

beforeAll(async () => {
  system = await startTestSystem();
  const telemetry = await deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    {
      events: [
        snapshot('a1', 'acme', 60, jan),
        snapshot('a2', 'acme', 100, jan, 'staging'),
        snapshot('b1', 'beta', 35, jan),
        snapshot('m1', 'gamma', 20, jan),
        snapshot('x1', 'delta', 10, jan),
        snapshot('u1', null, 7, jan),
        snapshot('u2', null, 12, jan),
        snapshot('s1', null, 5, jan, 'staging'),
        snapshot('a1', 'acme', 40, feb),
        snapshot('b1', 'beta', 35, feb),
        snapshot('m1', 'gamma', 20, feb),
        snapshot('x1', null, 15, feb),
        snapshot('u1', null, 8, feb),
        snapshot('-f1', null, 3, feb),
      ],
    },
  );
  expect(telemetry.status).toBe(202);
  const community = await deliverSigned(
    `${system.apiUrl}/webhooks/community`,
    system.secrets.communitySecret,
    {
      activities: [
        activity(
          'act1',
          'talk',
          { email: 'ada@acme.io', github: 'ada', accountId: 'acme', name: 'Ada' },
          '2025-01-15T09:00:00Z',
        ),
        activity('act2', 'article', { github: 'ADA' }, '2025-02-01T09:00:00Z'),
        activity(
          'act3',
          'article',
          { email: 'bob@beta.io', accountId: 'beta', name: 'Bob' },
          '2025-01-20T09:00:00Z',
        ),
        activity('act4', 'talk', { forum: 'carol' }, '2025-01-05T09:00:00Z'),
      ],
    },
  );
  expect(community.status).toBe(202);
  const put = (path: string, value: unknown) =>
    call(path, { method: 'PUT', body: JSON.stringify(value) });
  expect((await put('/admin/clusters/m1', { accountId: 'beta' })).status).toBe(200);
  expect((await put('/admin/accounts/acme', { name: 'Acme Corp' })).status).toBe(200);
  const merge = await call('/admin/members/merge', {
    method: 'POST',
    body: JSON.stringify({ identities: [{ forum: 'carol' }, { email: 'bob@beta.io' }] }),
  });
  expect(merge.status).toBe(200);
  await recalculate('2025-01', '2025-02');
  await recalculate('2025-02', '2025-02');
  await recalculate('2025-01', '2025-01');
}, 120_000);
afterAll(() => system?.stop());

/** Parses a CSV answer after checking its UTF-8 BOM (which `Response.text()` would drop). */
const csvOf = async (response: Response) => {
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
};

/** Follows `nextCursor` from the first page; every page within `limit`. */
async function walk(path: string, key: string, limit: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  const join = path.includes('?') ? '&' : '?';
  do {
    const page = (await (
      await call(
        `${path}${join}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
    ).json()) as Record<string, unknown>;
    const list = page[key] as Record<string, unknown>[];
    expect(list.length).toBeLessThanOrEqual(limit);
    items.push(...list);
    cursor = page.nextCursor as string | null;
  } while (cursor !== null);
  return items;
}

describe('GET /clusters (SPEC §7)', () => {
  it('lists the clusters of a month by nodes, attributed as the recalculation did', async () => {
    const { month, clusters } = await body('/clusters?month=2025-02', clustersResponse);
    expect(month).toBe('2025-02');
    expect(
      clusters.map((c) => [c.clusterId, c.nodes, c.accountId, c.source, c.namedAccountId]),
    ).toEqual([
      ['a1', 40, 'acme', 'snapshot', 'acme'],
      ['b1', 35, 'beta', 'snapshot', 'beta'],
      ['m1', 20, 'beta', 'mapping', 'gamma'],
      ['x1', 15, 'delta', 'snapshot', 'delta'],
      ['u1', 8, null, null, null],
      ['-f1', 3, null, null, null],
    ]);
  });

  it('defaults to the latest month with data', async () => {
    expect((await body('/clusters', clustersResponse)).month).toBe('2025-02');
  });

  it('attributed=false is the to-do list whose nodes sum to unattributedNodes', async () => {
    const { months } = await body('/metrics/ka', kaMonthsResponse);
    for (const row of months) {
      const { clusters } = await body(
        `/clusters?month=${row.month}&attributed=false`,
        clustersResponse,
      );
      expect(clusters.reduce((sum, c) => sum + c.nodes, 0)).toBe(row.unattributedNodes);
    }
    expect(months.map((m) => m.unattributedNodes)).toEqual([19, 11]);
    const january = await body('/clusters?month=2025-01&attributed=false', clustersResponse);
    expect(january.clusters.map((c) => c.clusterId)).toEqual(['u2', 'u1']);
    const attributed = await body('/clusters?month=2025-01&attributed=true', clustersResponse);
    expect(attributed.clusters.map((c) => c.clusterId)).toEqual(['a2', 'a1', 'b1', 'm1', 'x1']);
  });

  it('pages: all pages together are the unpaged list, without duplicates', async () => {
    const whole = (await body('/clusters?month=2025-01', clustersResponse)).clusters;
    expect(whole).toHaveLength(8);
    for (const limit of [1, 3])
      expect(await walk('/clusters?month=2025-01', 'clusters', limit)).toEqual(whole);
  });

  it('answers CSV by format=csv or Accept, with ids neutralised and a Link to the next page', async () => {
    const byFormat = await csvOf(await call('/clusters?month=2025-02&format=csv'));
    const byAccept = await csvOf(
      await call('/clusters?month=2025-02', { headers: { accept: 'text/csv' } }),
    );
    expect(byAccept.data).toEqual(byFormat.data);
    expect(byFormat.meta.fields).toEqual([
      'clusterId',
      'accountId',
      'source',
      'environment',
      'nodes',
      'reportedAt',
      'namedAccountId',
    ]);
    expect(byFormat.data.map((row) => row.clusterId)).toEqual([
      'a1',
      'b1',
      'm1',
      'x1',
      'u1',
      "'-f1",
    ]);
    expect(byFormat.data[4]).toMatchObject({ accountId: '', source: '', nodes: '8' });
    const rows: Record<string, string>[] = [];
    let next: string | null = '/clusters?month=2025-02&format=csv&limit=4';
    while (next) {
      const response = await call(next);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      rows.push(...(await csvOf(response)).data);
      next = response.headers.get('link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
    }
    expect(rows).toEqual(byFormat.data);
  });
});

describe('GET /clusters/{clusterId} (SPEC §7)', () => {
  it('shows a mapped cluster with the account its snapshots named and its month values', async () => {
    const cluster = await body('/clusters/m1', clusterResponse);
    expect(cluster).toMatchObject({
      accountId: 'beta',
      source: 'mapping',
      mapping: 'beta',
      namedAccountId: 'gamma',
    });
    expect(cluster.months.map((m) => [m.month, m.nodes, m.environment, m.eventId])).toEqual([
      ['2025-01', 20, 'production', `m1@${jan}`],
      ['2025-02', 20, 'production', `m1@${feb}`],
    ]);
  });

  it('attributes by the latest account-bearing snapshot, and lists snapshots newest first', async () => {
    const cluster = await body('/clusters/x1', clusterResponse);
    expect(cluster).toMatchObject({
      accountId: 'delta',
      source: 'snapshot',
      mapping: null,
      namedAccountId: 'delta',
    });
    expect(cluster.snapshots.map((s) => [s.eventId, s.nodes, s.accountId])).toEqual([
      [`x1@${feb}`, 15, null],
      [`x1@${jan}`, 10, 'delta'],
    ]);
    expect(cluster.snapshots[0]?.receivedAt).toMatch(/^\d{4}-/);
  });

  it('is a 404 for a cluster nobody reported or mapped, a 400 for a malformed id', async () => {
    expect((await call('/clusters/nope')).status).toBe(404);
    expect((await call('/clusters/bad%20id')).status).toBe(400);
  });
});

describe('GET /accounts (SPEC §7)', () => {
  it('lists every account of the latest computed month by production nodes', async () => {
    const { month, accounts } = await body('/accounts', accountsResponse);
    expect(month).toBe('2025-02');
    expect(accounts).toEqual([
      {
        accountId: 'beta',
        name: null,
        productionNodes: 55,
        status: 'retained',
        clusters: 2,
        champions: 1,
        firstKaMonth: '2025-01',
      },
      {
        accountId: 'acme',
        name: 'Acme Corp',
        productionNodes: 40,
        status: 'churned',
        clusters: 1,
        champions: 1,
        firstKaMonth: '2025-01',
      },
      {
        accountId: 'delta',
        name: null,
        productionNodes: 15,
        status: 'other',
        clusters: 1,
        champions: 0,
        firstKaMonth: null,
      },
    ]);
  });

  it('filters by status and by a substring of id or name', async () => {
    const jan = await body('/accounts?month=2025-01&status=new', accountsResponse);
    expect(jan.accounts.map((a) => [a.accountId, a.productionNodes])).toEqual([
      ['acme', 60],
      ['beta', 55],
    ]);
    const other = await body('/accounts?month=2025-01&status=other,churned', accountsResponse);
    expect(other.accounts.map((a) => a.accountId)).toEqual(['delta']);
    expect(
      (await body('/accounts?q=CORP', accountsResponse)).accounts.map((a) => a.accountId),
    ).toEqual(['acme']);
    expect((await call('/accounts?status=gone')).status).toBe(400);
    expect((await call('/accounts?month=2024-12')).status).toBe(404);
    expect((await call('/accounts?month=2025-13')).status).toBe(400);
  });

  it('pages and answers CSV', async () => {
    const whole = (await body('/accounts?month=2025-01', accountsResponse)).accounts;
    expect(await walk('/accounts?month=2025-01', 'accounts', 1)).toEqual(whole);
    const csv = await csvOf(await call('/accounts?month=2025-01&format=csv'));
    expect(csv.data.map((r) => [r.accountId, r.productionNodes, r.status, r.firstKaMonth])).toEqual(
      [
        ['acme', '60', 'new', '2025-01'],
        ['beta', '55', 'new', '2025-01'],
        ['delta', '10', 'other', ''],
      ],
    );
  });
});

describe('GET /accounts/{accountId} (SPEC §7)', () => {
  it('shows an account’s months, clusters and members', async () => {
    const acme = await body('/accounts/acme', accountResponse);
    expect(acme).toMatchObject({ accountId: 'acme', name: 'Acme Corp', domains: [], aliases: [] });
    expect(acme.months).toEqual([
      { month: '2025-01', productionNodes: 60, status: 'new' },
      { month: '2025-02', productionNodes: 40, status: 'churned' },
    ]);
    expect(acme.clusters.map((c) => [c.clusterId, c.source, c.environment, c.nodes])).toEqual([
      ['a1', 'snapshot', 'production', 40],
      ['a2', 'snapshot', 'staging', 100],
    ]);
    expect(acme.members).toEqual([
      {
        memberId: expect.stringMatching(/^m_/),
        name: 'Ada',
        lastActivityAt: '2025-02-01T09:00:00Z',
        champion: true,
      },
    ]);
  });

  it('counts a mapped cluster for the account it is mapped to, not the one it named', async () => {
    const beta = await body('/accounts/beta', accountResponse);
    expect(beta.clusters.map((c) => [c.clusterId, c.source])).toEqual([
      ['b1', 'snapshot'],
      ['m1', 'mapping'],
    ]);
    expect(beta.months.map((m) => m.status)).toEqual(['new', 'retained']);
    expect((await call('/accounts/gamma')).status).toBe(404);
    const delta = await body('/accounts/delta', accountResponse);
    expect(delta.months).toEqual([
      { month: '2025-01', productionNodes: 10, status: 'other' },
      { month: '2025-02', productionNodes: 15, status: 'other' },
    ]);
  });
});

describe('GET /members and /members/{member} (SPEC §7)', () => {
  it('finds a member by any identity, written as sent, and says why each identity belongs', async () => {
    const ada = await body('/members/github:ADA', memberResponse);
    expect(ada.identities).toEqual(['email:ada@acme.io', 'github:ada']);
    expect(ada).toMatchObject({
      accountId: 'acme',
      staff: false,
      splits: [],
      tiers: { '2025': [] },
    });
    expect(ada.links).toEqual([
      {
        identities: ['email:ada@acme.io', 'github:ada'],
        cause: 'activity',
        activityId: 'act1',
        at: '2025-01-15T09:00:00Z',
      },
    ]);
    expect(ada.activities.map((a) => [a.activityId, a.status])).toEqual([
      ['act1', 'delivered'],
      ['act2', 'submitted'],
    ]);
    expect(ada.affiliations).toEqual([
      { accountId: 'acme', from: null, to: null, source: 'activity' },
    ]);
    const byId = await body(`/members/${ada.memberId}`, memberResponse);
    expect(byId).toEqual(ada);
    expect(
      await body(`/members/${encodeURIComponent('email:Ada@ACME.io')}`, memberResponse),
    ).toEqual(ada);
  });

  it('names the admin merge that joined two identities', async () => {
    const carol = await body('/members/forum:carol', memberResponse);
    expect(carol.identities).toEqual(['email:bob@beta.io', 'forum:carol']);
    expect(carol.links).toEqual([
      {
        identities: ['email:bob@beta.io', 'forum:carol'],
        cause: 'admin-merge',
        at: expect.stringMatching(/^\d{4}-/),
      },
    ]);
    expect(carol.accountId).toBe('beta');
  });

  it('is a 404 for an identity no member has and a 400 for an unknown kind', async () => {
    expect((await call('/members/github:nobody')).status).toBe(404);
    expect((await call('/members/m_0000000000000000')).status).toBe(404);
    expect((await call('/members/phone:123')).status).toBe(400);
  });

  it('searches by name or identity and filters by affiliation, paged', async () => {
    const all = (await body('/members', membersResponse)).members;
    expect(all).toHaveLength(2);
    expect(await walk('/members', 'members', 1)).toEqual(all);
    expect((await body('/members?q=acme.IO', membersResponse)).members.map((m) => m.name)).toEqual([
      'Ada',
    ]);
    expect(
      (await body('/members?accountId=beta', membersResponse)).members.map((m) => m.identities),
    ).toEqual([['email:bob@beta.io', 'forum:carol']]);
    const csv = await csvOf(await call('/members?q=ada&format=csv'));
    expect(csv.data[0]?.identities).toBe('email:ada@acme.io; github:ada');
  });
});

describe('GET /activities (SPEC §7)', () => {
  it('status=submitted is the review queue, oldest first', async () => {
    const { activities } = await body('/activities?status=submitted', activitiesResponse);
    expect(activities.map((a) => [a.activityId, a.type, a.member.name, a.accountId])).toEqual([
      ['act3', 'article', 'Bob', 'beta'],
      ['act2', 'article', 'Ada', null],
    ]);
  });

  it('filters by type, months and member', async () => {
    const ids = async (query: string) =>
      (await body(`/activities?${query}`, activitiesResponse)).activities.map((a) => a.activityId);
    expect(await ids('type=talk')).toEqual(['act4', 'act1']);
    expect(await ids('from=2025-02')).toEqual(['act2']);
    expect(await ids('to=2025-01')).toEqual(['act4', 'act1', 'act3']);
    expect(await ids('member=email:ada@acme.io')).toEqual(['act1', 'act2']);
    expect(await ids('member=github:nobody')).toEqual([]);
    expect((await call('/activities?from=2025-02&to=2025-01')).status).toBe(400);
    expect((await call('/activities?type=poem')).status).toBe(400);
  });

  it('pages oldest first', async () => {
    const whole = (await body('/activities', activitiesResponse)).activities;
    expect(whole.map((a) => a.activityId)).toEqual(['act4', 'act1', 'act3', 'act2']);
    expect(await walk('/activities', 'activities', 3)).toEqual(whole);
  });
});

describe('GET /admin/jobs (SPEC §7)', () => {
  it('lists jobs newest first, paged', async () => {
    const { jobs } = await body('/admin/jobs', jobsResponse);
    expect(jobs.map((j) => j.jobId)).toEqual([...jobIds].reverse());
    expect(jobs[0]).toMatchObject({
      status: 'succeeded',
      months: ['2025-01'],
      completedMonths: ['2025-01'],
    });
    expect(await walk('/admin/jobs', 'jobs', 1)).toEqual(jobs);
  });
});

describe('Lists (SPEC §3) on every list route', () => {
  const lists = ['/accounts', '/clusters', '/members', '/activities', '/admin/jobs'];

  it.each(lists)(
    '%s: a garbage cursor, a cursor of another route and a limit out of range are 400',
    async (path) => {
      const other = path === '/members' ? '/activities' : '/members';
      const foreign = (await (await call(`${other}?limit=1`)).json()) as { nextCursor: string };
      expect(foreign.nextCursor).toEqual(expect.any(String));
      for (const query of [
        'cursor=garbage',
        `cursor=${foreign.nextCursor}`,
        'limit=0',
        'limit=1001',
        'limit=x',
        'limit=10001&format=csv',
      ]) {
        const response = await call(`${path}?${query}`);
        expect(response.status, `${path}?${query}`).toBe(400);
        expect(await response.json()).toEqual({ error: expect.any(String) });
      }
      expect((await call(`${path}?limit=1000`)).status).toBe(200);
      expect((await call(`${path}?limit=10000&format=csv`)).status).toBe(200);
    },
  );

  it.each(lists)('%s asks for the token', async (path) => {
    expect((await call(path, { auth: false })).status).toBe(401);
  });
});

describe('CSV of the whole-list routes (SPEC §3)', () => {
  it('GET /metrics/ka', async () => {
    const { months } = await body('/metrics/ka', kaMonthsResponse);
    const csv = await csvOf(await call('/metrics/ka?format=csv'));
    expect(csv.data.map((r) => [r.month, r.kaCount, r.unattributedNodes, r.momMultiple])).toEqual(
      months.map((m) => [
        m.month,
        String(m.kaCount),
        String(m.unattributedNodes),
        m.momMultiple === null ? '' : String(m.momMultiple),
      ]),
    );
  });

  it('GET /metrics/ka/{month}/accounts', async () => {
    await body('/metrics/ka/2025-02/accounts', kaAccountsResponse);
    const csv = await csvOf(
      await call('/metrics/ka/2025-02/accounts', { headers: { accept: 'text/csv' } }),
    );
    expect(csv.data).toEqual([
      // SPEC §3's columns, §10's figures: Bob (with Carol) at Beta, Ada at Acme, both active.
      {
        accountId: 'beta',
        name: '',
        productionNodes: '55',
        previousNodes: '55',
        status: 'retained',
        communitySourced: 'false',
        champions: '1',
      },
      {
        accountId: 'acme',
        name: 'Acme Corp',
        productionNodes: '40',
        previousNodes: '60',
        status: 'churned',
        communitySourced: 'false',
        champions: '1',
      },
    ]);
    expect(csv.meta.fields).toEqual([
      'accountId',
      'name',
      'productionNodes',
      'previousNodes',
      'status',
      'communitySourced',
      'champions',
    ]);
  });

  it('GET /evangelists', async () => {
    const { members } = await body('/evangelists?year=2025', evangelistsResponse);
    const csv = await csvOf(await call('/evangelists?year=2025&format=csv'));
    expect(csv.data.map((r) => [r.memberId, r.identities, r['counts.talk']])).toEqual(
      members.map((m) => [m.memberId, m.identities.join('; '), String(m.counts.talk)]),
    );
    expect(csv.data).toHaveLength(2);
  });
});

describe('GET /openapi.json', () => {
  it('is served without a token and documents the evidence routes', async () => {
    const response = await call('/openapi.json', { auth: false });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/accounts', '/members/{member}']),
    );
  });
});

// Last: it adds an activity the lists above do not expect.
describe('GET /members/{member} after new deliveries', () => {
  it('finds a member who arrived after the latest recalculation, from the stored facts', async () => {
    const late = await deliverSigned(
      `${system.apiUrl}/webhooks/community`,
      system.secrets.communitySecret,
      {
        activities: [
          activity('late1', 'talk', { github: 'newcomer', name: 'New' }, '2025-02-03T09:00:00Z'),
        ],
      },
    );
    expect(late.status).toBe(202);
    const newcomer = await body('/members/github:newcomer', memberResponse);
    expect(newcomer.identities).toEqual(['github:newcomer']);
    expect(newcomer.activities.map((a) => a.activityId)).toEqual(['late1']);
  });
});
