import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityActivity, CommunityFacts } from '../support/community-expectations.js';
import {
  type Corrections,
  oracleChampionCoverage,
  oracleEvangelists,
  oracleMembers,
} from '../support/corrections-expectations.js';
import {
  defaultKaRules,
  type ExpectedMonth,
  expectedKaMonths,
} from '../support/ka-expectations.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import type { TelemetryEvent } from '../support/telemetry-scenario.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

// SPEC §1 and §9, end to end through local mode: job changes, an acquisition undone and redone, a
// wrong merge split, staff, domain affiliations and admin periods, each checked against the
// independent oracle in test/support/corrections-expectations.ts.

const months = ['2026-01', '2026-02', '2026-03', '2026-04'];
const day = (month: string, d: number) => `${month}-${String(d).padStart(2, '0')}T12:00:00Z`;

const cluster = (clusterId: string, accountId: string, nodes: number, during: string[]) =>
  during.map(
    (month): TelemetryEvent => ({
      clusterId,
      accountId,
      environment: 'production',
      nodes,
      reportedAt: day(month, 15),
    }),
  );
/** Acme, and OldCo until Acme acquires it in March: its nodes then report under Acme. */
const events: TelemetryEvent[] = [
  ...cluster('a-1', 'acme', 80, months),
  ...cluster('o-1', 'oldco', 60, ['2026-01', '2026-02']),
  ...cluster('a-2', 'acme', 60, ['2026-03', '2026-04']),
  ...cluster('g-1', 'globex', 55, months),
  ...cluster('s-1', 'staffco', 50, months),
];

const talk = (
  activityId: string,
  occurredAt: string,
  member: CommunityActivity['member'],
): CommunityActivity => ({ activityId, type: 'talk', member, occurredAt });
const activities: CommunityActivity[] = [
  // Ada changes jobs in March: Acme, then Globex.
  talk('ada-1', day('2026-01', 10), {
    email: 'ada@acme.example',
    github: 'ada',
    accountId: 'acme',
  }),
  talk('ada-2', day('2026-03', 10), { github: 'ada', accountId: 'globex' }),
  talk('ada-3', day('2026-04', 10), { github: 'ada' }),
  // Bob never names an account: his email's domain is OldCo's.
  talk('bob-1', day('2026-02', 10), { email: 'bob@oldco.example' }),
  // Cy works for the company itself: staff.
  ...[5, 6, 7].map((d) =>
    talk(`cy-${d}`, day('2026-02', d), { email: 'cy@staffco.example', accountId: 'staffco' }),
  ),
  // Dan and Eve are two people an admin merged by mistake.
  talk('dan-1', day('2026-01', 20), { github: 'dan' }),
  ...[21, 22, 23].map((d) =>
    talk(`eve-${d}`, day('2026-01', d), { github: 'eve', email: 'eve@gmail.com' }),
  ),
  // Fay says Globex; the admin knows she was at Acme in February.
  talk('fay-1', day('2026-02', 3), { forum: 'fay', accountId: 'globex' }),
  talk('fay-2', day('2026-04', 3), { forum: 'fay', accountId: 'globex' }),
];
const facts: CommunityFacts = {
  timezone: 'UTC',
  deliveries: activities,
  merges: [],
  reviews: [],
  programs: new Map(),
};
const rules = defaultKaRules('UTC');

describe('corrections that lose nothing, end to end', () => {
  let system: TestSystem;
  const corrections: {
    merges: { identities: Record<string, string>[]; at: number }[];
    splits: { named: string[]; rest: string[]; at: number }[];
    periods: Map<string, { accountId: string; from: string | null; to: string | null }[]>;
    domains: Map<string, string[]>;
    aliases: Map<string, string>;
    staffAccounts: string[];
    personalMailDomains: string[];
  } = {
    merges: [],
    splits: [],
    periods: new Map(),
    domains: new Map(),
    aliases: new Map(),
    staffAccounts: ['staffco'],
    personalMailDomains: ['gmail.com'],
  };

  const call = async (method: string, path: string, body?: unknown, status = 200) => {
    const response = await system.api(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBe(status);
    return text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
  };
  const recalculate = async () => {
    const job = await call(
      'POST',
      '/admin/recalculate',
      { from: months[0], to: months.at(-1) },
      202,
    );
    await waitForJob((p) => system.api(p), String(job?.jobId), 120_000);
  };
  const metrics = async () =>
    ((await call('GET', `/metrics/ka?from=${months[0]}&to=${months.at(-1)}`))?.months ??
      []) as Record<string, unknown>[];
  const accountsOf = async (month: string) =>
    ((await call('GET', `/metrics/ka/${month}/accounts`))?.accounts ?? []) as Record<
      string,
      unknown
    >[];
  /** The server's months, as the KA oracle describes them, plus champion coverage. */
  const expectMonths = async (expected: ExpectedMonth[]) => {
    const members = oracleMembers(facts, corrections as Corrections);
    const rows = await metrics();
    for (const want of expected) {
      const row = rows.find((r) => r.month === want.month);
      const { accounts, ...fields } = want;
      expect(row, want.month).toMatchObject(fields);
      const kas = accounts.filter((a) => a.status !== 'churned' && a.status !== 'near');
      expect(row?.championCoverage, `${want.month} championCoverage`).toBe(
        oracleChampionCoverage(
          members,
          kas.map((a) => a.accountId),
          want.month,
          corrections as Corrections,
        ),
      );
      // GET /accounts agrees with the month's list on each listed account's champions.
      const listed = await accountsOf(want.month);
      const evidence = ((await call('GET', `/accounts?month=${want.month}&limit=1000`))?.accounts ??
        []) as Record<string, unknown>[];
      for (const account of listed) {
        const row = evidence.find((a) => a.accountId === account.accountId);
        expect(row?.champions, `${want.month} ${String(account.accountId)} champions`).toBe(
          account.champions,
        );
      }
      const list = listed.map((a) => ({
        accountId: a.accountId,
        productionNodes: a.productionNodes,
        status: a.status,
      }));
      expect(list.sort((a, b) => String(a.accountId).localeCompare(String(b.accountId)))).toEqual(
        accounts,
      );
    }
  };

  beforeAll(async () => {
    system = await startTestSystem();
    await call('PUT', '/admin/config', {
      staffAccounts: ['staffco'],
      personalMailDomains: ['gmail.com'],
      reportSender: 'reports@example.com',
      reportRecipients: ['growth@example.com'],
    });
    await call('PUT', '/admin/accounts/acme', { name: 'Acme' });
    await call('PUT', '/admin/accounts/oldco', { name: 'OldCo', domains: ['OLDCO.example'] });
    corrections.domains.set('oldco', ['oldco.example']);
    for (const [path, secret, body] of [
      ['telemetry', system.secrets.telemetrySecret, { events }],
      ['community', system.secrets.communitySecret, { activities }],
    ] as const) {
      const response = await deliverSigned(`${system.apiUrl}/webhooks/${path}`, secret, body);
      expect(response.status).toBe(202);
    }
  }, 120_000);
  afterAll(() => system?.stop());

  it('refuses account domains that are personal mail or held by another account', async () => {
    await call('PUT', '/admin/accounts/acme', { name: 'Acme', domains: ['gmail.com'] }, 400);
    const taken = await call(
      'PUT',
      '/admin/accounts/acme',
      { name: 'Acme', domains: ['oldco.example'] },
      409,
    );
    expect(String(taken?.error)).toContain('oldco');
  });

  it('undoes a wrong merge with a split: every count as before the merge', async () => {
    await recalculate();
    const before = await call('GET', '/evangelists?year=2026&asOf=2026-04');
    await call('POST', '/admin/members/merge', {
      identities: [{ github: 'dan' }, { github: 'eve' }],
    });
    corrections.merges.push({ identities: [{ github: 'dan' }, { github: 'eve' }], at: Date.now() });
    await recalculate();
    const merged = (await call('GET', '/evangelists?year=2026&asOf=2026-04'))?.members as {
      identities: string[];
      counts: Record<string, number>;
    }[];
    expect(merged.find((m) => m.identities.includes('github:dan'))?.counts.talk).toBe(4);

    // All of the member's identities: nothing would be left.
    await call(
      'POST',
      '/admin/members/split',
      { identities: [{ github: 'eve' }, { github: 'dan' }, { email: 'eve@gmail.com' }] },
      400,
    );
    await call('POST', '/admin/members/split', { identities: [{ github: 'nobody' }] }, 404);
    await call(
      'POST',
      '/admin/members/split',
      { identities: [{ github: 'dan' }, { github: 'ada' }] },
      400,
    );
    const split = await call('POST', '/admin/members/split', {
      identities: [{ github: 'eve' }, { email: 'eve@gmail.com' }],
    });
    corrections.splits.push({
      named: ['email:eve@gmail.com', 'github:eve'],
      rest: ['github:dan'],
      at: Date.now(),
    });
    expect(split?.members).toHaveLength(2);
    await recalculate();
    expect(await call('GET', '/evangelists?year=2026&asOf=2026-04')).toEqual(before);
    const eve = await call('GET', '/members/github:eve');
    expect(eve?.identities).toEqual(['email:eve@gmail.com', 'github:eve']);
    expect(eve?.splits).toEqual([
      { identities: ['email:eve@gmail.com', 'github:eve'], at: split?.splitAt },
    ]);
  }, 300_000);

  it('applies admin affiliation periods over activities, and refuses overlaps', async () => {
    await call(
      'PUT',
      '/admin/members/forum:fay/affiliations',
      {
        affiliations: [
          { accountId: 'acme', from: '2026-02-01', to: '2026-02-28' },
          { accountId: 'globex', from: '2026-02-28', to: null },
        ],
      },
      400,
    );
    const put = await call('PUT', '/admin/members/forum:fay/affiliations', {
      affiliations: [{ accountId: 'acme', from: '2026-02-01', to: '2026-02-28' }],
    });
    expect(put?.affiliations).toEqual([
      { accountId: 'acme', from: '2026-02-01', to: '2026-02-28' },
    ]);
    corrections.periods.set('forum:fay', [
      { accountId: 'acme', from: '2026-02-01', to: '2026-02-28' },
    ]);
    // A later delivery stating another account does not change the period.
    const late = talk('fay-3', day('2026-02', 20), { forum: 'fay', accountId: 'initech' });
    const response = await deliverSigned(
      `${system.apiUrl}/webhooks/community`,
      system.secrets.communitySecret,
      {
        activities: [late],
      },
    );
    expect(response.status).toBe(202);
    (facts.deliveries as CommunityActivity[]).push(late);
    await recalculate();
    const fay = await call('GET', '/members/forum:fay');
    expect(fay?.affiliations).toContainEqual({
      accountId: 'acme',
      from: '2026-02-01',
      to: '2026-02-28',
      source: 'admin',
    });
    await expectMonths(expectedKaMonths(events, months, rules));
  }, 300_000);

  it('lists staff only when asked, with no tiers, and never counts them as champions', async () => {
    const year = 2026;
    const members = oracleMembers(facts, corrections as Corrections);
    const expected = oracleEvangelists(facts, members, year, '2026-04', corrections as Corrections);
    const shown = (await call('GET', '/evangelists?year=2026&asOf=2026-04&includeStaff=true'))
      ?.members as {
      identities: string[];
      accountId: string | null;
      tiers: string[];
      staff: boolean;
    }[];
    const comparable = (
      rows: {
        identities: readonly string[];
        accountId: string | null;
        tiers: readonly string[];
        staff: boolean;
      }[],
    ) =>
      rows
        .map(({ identities, accountId, tiers, staff }) => ({ identities, accountId, tiers, staff }))
        .sort((a, b) => String(a.identities[0]).localeCompare(String(b.identities[0])));
    expect(comparable(shown)).toEqual(comparable(expected));
    expect(shown.find((m) => m.identities.includes('email:cy@staffco.example'))).toMatchObject({
      staff: true,
      tiers: [],
    });
    const plain = (await call('GET', '/evangelists?year=2026&asOf=2026-04'))?.members as {
      identities: string[];
    }[];
    expect(plain.some((m) => m.identities.includes('email:cy@staffco.example'))).toBe(false);
    expect(plain).toHaveLength(expected.filter((m) => !m.staff).length);
  });

  it('counts an acquired account as its acquirer once merged, records the change to a mailed month, and restores the numbers exactly when undone', async () => {
    const withoutAlias = expectedKaMonths(events, months, rules);
    await call('POST', '/admin/reports/2026-03/send', {}, 202);
    await call('POST', '/admin/accounts/merge', { into: 'globex', accounts: ['acme'] });
    await call('POST', '/admin/accounts/merge', { into: 'staffco', accounts: ['acme'] }, 409);
    await call('POST', '/admin/accounts/merge', { into: 'acme', accounts: ['staffco'] }, 400);
    await call('DELETE', '/admin/accounts/globex/aliases/acme', undefined, 204);

    const merged = await call('POST', '/admin/accounts/merge', {
      into: 'acme',
      accounts: ['oldco'],
    });
    expect(merged).toEqual({ accountId: 'acme', aliases: ['oldco'] });
    corrections.aliases.set('oldco', 'acme');
    await recalculate();
    const withAlias = expectedKaMonths(events, months, rules, corrections.aliases);
    await expectMonths(withAlias);
    // Neither a churn nor a new KA: one account all along.
    expect(withAlias.map((m) => m.churned)).toEqual([0, 0, 0, 0]);
    const acme = await call('GET', '/accounts/oldco');
    expect(acme).toMatchObject({ accountId: 'acme', aliases: ['oldco'] });

    // What changed in March, mailed before the merge (SPEC §9).
    const changes = (await call('GET', '/admin/changes?month=2026-03'))?.changes as {
      field: string;
      before: unknown;
      after: unknown;
    }[];
    const [mailed, now] = [withoutAlias[2], withAlias[2]] as [ExpectedMonth, ExpectedMonth];
    const fields = [
      'kaCount',
      'new',
      'reactivated',
      'retained',
      'churned',
      'productionNodes',
      'momMultiple',
    ] as const;
    for (const field of fields) {
      const change = changes.find((c) => c.field === field);
      if (mailed[field] === now[field]) expect(change, field).toBeUndefined();
      else expect(change, field).toMatchObject({ before: mailed[field], after: now[field] });
    }
    expect(changes.find((c) => c.field === 'account:oldco')).toMatchObject({
      before: { status: 'churned', productionNodes: 0 },
      after: null,
    });

    // The next report mailed carries them (SPEC §5, §9).
    const next = await system.api('/reports/2026-04');
    const html = await next.text();
    expect(html).toContain('Corrections since the last report');
    expect(html).toContain('OldCo');

    await call('DELETE', '/admin/accounts/acme/aliases/oldco', undefined, 204);
    await call('DELETE', '/admin/accounts/acme/aliases/oldco', undefined, 404);
    corrections.aliases.delete('oldco');
    await recalculate();
    await expectMonths(withoutAlias);

    await call('POST', '/admin/accounts/merge', { into: 'acme', accounts: ['oldco'] });
    corrections.aliases.set('oldco', 'acme');
    await recalculate();
    await expectMonths(withAlias);
  }, 600_000);
});
