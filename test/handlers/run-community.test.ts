import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { meteredClient } from '../../bench/capacity.js';
import {
  loadAffiliationSources,
  staffAccountsOf,
} from '../../lambdas/compute/affiliation-sources.js';
import { recalculateKa } from '../../lambdas/compute/recalculate-ka.js';
import { communityOfRun } from '../../lambdas/compute/run-community.js';
import { affiliationAt, affiliationInstant } from '../../lambdas/domain/affiliation.js';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import { firstCommunityInstants } from '../../lambdas/domain/community-sourced.js';
import { type Member, resolveMembers } from '../../lambdas/domain/identities.js';
import { type Month, parseMonth } from '../../lambdas/domain/month.js';
import { putAccount } from '../../lambdas/store/accounts-store.js';
import { db, setDocumentClient, tableName } from '../../lambdas/store/client.js';
import {
  allActivities,
  recordMerge,
  setActivityStatus,
  storeActivities,
} from '../../lambdas/store/community-store.js';
import { getConfig } from '../../lambdas/store/config-store.js';
import {
  memberSplits,
  putAffiliations,
  recordSplit,
} from '../../lambdas/store/corrections-store.js';
import { monthEvangelists } from '../../lambdas/store/evangelists-store.js';
import { keys } from '../../lambdas/store/keys.js';
import {
  indexedRecords,
  memberIndexMeta,
  saveMemberIndex,
} from '../../lambdas/store/member-index-store.js';
import { listMonths } from '../../lambdas/store/months-store.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  // Changes are those since the index was built, with no margin: a run right after another sees none.
  process.env.FLYWHEEL_CHANGES_OVERLAP_MS = '0';
  system = await startTestSystem();
});
afterAll(() => {
  delete process.env.FLYWHEEL_CHANGES_OVERLAP_MS;
  return system?.stop();
});

const months = (...names: string[]): Month[] => names.map(parseMonth);
const spring = months('2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06');

/** An activity of one of 20 members in 2025, the i-th of them; every tenth states an account. */
const activity = (i: number, type: Activity['type'] = 'talk', day = 1 + (i % 28)): Activity => ({
  activityId: `act-${i}`,
  type,
  occurredAt: `2025-${String(1 + (i % 6)).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00Z`,
  status: type === 'article' ? 'submitted' : 'delivered',
  identities: [`email:m${i % 20}@example.com` as IdentityKey],
  ...(i % 10 === 0 ? { accountId: `acct-${i % 7}` } : {}),
});

/** The read units of reading every stored activity, as a run without an index reads them. */
async function unitsOfEveryActivity(meter: ReturnType<typeof meteredClient>): Promise<number> {
  meter.reset();
  await allActivities();
  return meter.read();
}

/** What the runs stored of the community: each month's evangelists and every member's record. */
async function stored() {
  const evangelists = await Promise.all(spring.map((m) => monthEvangelists(m)));
  return { evangelists, records: await indexedRecords() };
}

it('resolves every activity once, then only the members whose activities changed, exactly', async () => {
  await storeActivities(
    Array.from({ length: 600 }, (_, i) => activity(i)),
    'UTC',
  );
  const meter = meteredClient();
  setDocumentClient(meter.client);
  try {
    const everyActivity = await unitsOfEveryActivity(meter);
    expect(everyActivity).toBeGreaterThan(0);

    // No member index yet: the first run resolves every activity, and builds it.
    meter.reset();
    await recalculateKa(months('2025-06'));
    const first = meter.read();
    expect(await memberIndexMeta()).toBeDefined();
    // Nothing changed since: a run reads the members' records (and the index's chunks once more
    // to replace them), not the activities: here 30 an activity, so about half of what they cost.
    meter.reset();
    await recalculateKa(months('2025-06'));
    const unchanged = meter.read();
    expect(first - unchanged).toBeGreaterThanOrEqual(everyActivity * 0.5);

    // New activities (one joins two members, one is content) and a review: the run after them
    // resolves only those members again, and stores what resolving every activity stores.
    await storeActivities(
      [
        activity(1_000, 'talk', 15),
        {
          ...activity(1_001, 'article', 16),
          identities: ['email:m1@example.com', 'github:m2-handle'],
        },
        {
          ...activity(1_002, 'talk', 17),
          identities: ['github:m2-handle', 'email:m2@example.com'],
        },
      ],
      'UTC',
    );
    await setActivityStatus('act-1001', 'recognized', 'UTC', () => ({
      at: new Date().toISOString(),
      actor: 'test',
      role: 'admin',
      method: 'PATCH',
      path: '/admin/activities/act-1001',
      target: 'activity:act-1001',
      before: null,
      after: null,
    }));
    await recalculateKa(spring);
    const incremental = await stored();
    // m1 and m2 are one member now, with both talks and the recognised article.
    const joined = incremental.records.find((r) => r.identities.includes('email:m1@example.com'));
    expect(joined?.identities).toEqual([
      'email:m1@example.com',
      'email:m2@example.com',
      'github:m2-handle',
    ]);
    expect(joined?.activityIds).toContain('act-1001');
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.memberIndexMeta() }));
    await recalculateKa(spring);
    expect(await stored()).toEqual(incremental);
  } finally {
    setDocumentClient(undefined);
  }
});

it('applies a merge and a split made since the index to the members they name, exactly', async () => {
  const audit = (target: string) => ({
    at: new Date().toISOString(),
    actor: 'test',
    role: 'admin' as const,
    method: 'POST',
    path: '/admin/members',
    target,
    before: null,
    after: null,
  });
  const rebuilt = async () => {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.memberIndexMeta() }));
    await recalculateKa(spring);
    return stored();
  };
  await recalculateKa(spring);
  const m3 = 'email:m3@example.com' as const;
  const m4 = 'email:m4@example.com' as const;
  await recordMerge([m3, m4], audit(`member:${m3}`));
  await recalculateKa(spring);
  const merged = await stored();
  expect(merged.records.find((r) => r.identities.includes(m3))?.identities).toEqual([m3, m4]);
  expect(await rebuilt()).toEqual(merged);
  await recordSplit(
    { identities: [m4], rest: [m3], splitAt: new Date().toISOString() },
    audit(`member:${m3}`),
  );
  await recalculateKa(spring);
  const split = await stored();
  expect(split.records.find((r) => r.identities.includes(m3))?.identities).toEqual([m3]);
  expect(await rebuilt()).toEqual(split);
});

it('applies a change of affiliation sources to the records, without reading every activity', async () => {
  const audit = () => ({
    at: new Date().toISOString(),
    actor: 'test',
    role: 'admin' as const,
    method: 'PUT',
    path: '/admin',
    target: 'test',
    before: null,
    after: null,
  });
  await recalculateKa(spring);
  // A domain gives every member without a statement an account; a period moves one member.
  await putAccount('acct-domain', { name: 'Domain', domains: ['example.com'] }, audit);
  await putAffiliations(
    ['email:m5@example.com'],
    [{ accountId: 'acct-period', from: '2025-02-01', to: '2025-03-31' }],
    audit,
  );
  const config = await getConfig();
  const sources = await loadAffiliationSources(config);
  const staffAccounts = staffAccountsOf(config, sources);
  const meter = meteredClient();
  setDocumentClient(meter.client);
  try {
    const everyActivity = await unitsOfEveryActivity(meter);
    meter.reset();
    const community = await communityOfRun({ sources, staffAccounts, states: await listMonths() });
    // The records and the index's write, not the activities (30 a member here).
    expect(meter.read()).toBeLessThan(everyActivity / 2);
    const accountIds = ['acct-domain', 'acct-period', 'acct-1', 'acct-3', 'acct-none'];
    meter.reset();
    const first = await community.firstCommunityInstants(accountIds);
    // Every member may be the domain's: this one reads their activities, once.
    expect(meter.read()).toBeGreaterThan(0);
    meter.reset();
    expect(await community.firstCommunityInstants(accountIds)).toEqual(first);
    expect(meter.read()).toBe(0);
    // What resolving every activity under the new sources gives.
    const members = resolveMembers(await allActivities(), [], await memberSplits()).members;
    const every = firstCommunityInstants(members, sources, staffAccounts);
    expect(Object.fromEntries(first)).toEqual(
      Object.fromEntries(accountIds.flatMap((id) => (every.has(id) ? [[id, every.get(id)]] : []))),
    );
    expect(first.has('acct-period')).toBe(true);
    expect(first.has('acct-domain')).toBe(true);
    const affiliated = new Map(members.map((m) => [m.memberId, m]));
    for (const member of community.members) {
      const now = affiliationInstant(new Date().toISOString(), sources.timeZone);
      const real = affiliated.get(member.memberId) as Member;
      expect(member.accountId).toBe(affiliationAt(real, now, sources)?.accountId ?? null);
    }
  } finally {
    setDocumentClient(undefined);
  }
  // And the stored figures equal a rebuild from every activity.
  await recalculateKa(spring);
  const applied = await stored();
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.memberIndexMeta() }));
  await recalculateKa(spring);
  expect(await stored()).toEqual(applied);
});

it('leaves the index to be rebuilt when two runs save it at once', async () => {
  const meta = await memberIndexMeta();
  expect(meta).toBeDefined();
  const records = await indexedRecords();
  // Both read the same version; the first to save wins, the second finds it changed.
  await saveMemberIndex(records, { fingerprint: 'first', asOf: 1 }, meta?.version);
  expect((await memberIndexMeta())?.fingerprint).toBe('first');
  await saveMemberIndex(records, { fingerprint: 'second', asOf: 2 }, meta?.version);
  // No meta: the next run resolves every activity and builds the index again.
  expect(await memberIndexMeta()).toBeUndefined();
  await recalculateKa(months('2025-06'));
  expect(await memberIndexMeta()).toBeDefined();
});
