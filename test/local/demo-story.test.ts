import { describe, expect, it } from 'vitest';
import { decemberBefore, type Month, monthOf } from '../../lambdas/domain/month.js';
import { communityStory } from '../../local/demo/community.js';
import { companyStory, type TelemetryEvent } from '../../local/demo/company.js';
import { isoWithOffset, storyMonths } from '../../local/demo/timeline.js';
import type { CommunityActivity } from '../support/community-expectations.js';
import { flywheelExpectations } from '../support/flywheel-expectations.js';
import { defaultKaRules } from '../support/ka-expectations.js';

const timeZone = 'Asia/Shanghai';
// A fixed "today", so the story (and these expectations) never depend on the clock.
const months = storyMonths(new Date('2026-11-15T04:00:00Z'), timeZone);
const first = months[0] as Month;
const last = months.at(-1) as Month;

function story(seed: number) {
  const company = companyStory({ seed, months, timeZone });
  return {
    company,
    community: communityStory({ seed, months, timeZone, accounts: company.accounts }),
  };
}

const stories = new Map([9, 1, 2].map((seed) => [seed, story(seed)]));
const main = stories.get(9) as ReturnType<typeof story>;

const nodesOf = (e: TelemetryEvent) =>
  e.nodes ?? Object.values(e.components ?? {}).reduce((a, b) => a + b, 0);

/**
 * Production nodes per account and month, computed here from the events alone (SPEC §1): each
 * cluster's latest snapshot of the month, the account named by its latest snapshot naming one.
 */
function productionNodes(events: readonly TelemetryEvent[]): Map<string, Map<string, number>> {
  const latest = new Map<string, TelemetryEvent>();
  const named = new Map<string, TelemetryEvent>();
  for (const e of events) {
    const key = `${e.clusterId}|${monthOf(e.reportedAt, timeZone)}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(seen.reportedAt) < Date.parse(e.reportedAt)) latest.set(key, e);
    const before = named.get(e.clusterId);
    if (e.accountId && (!before || Date.parse(before.reportedAt) < Date.parse(e.reportedAt))) {
      named.set(e.clusterId, e);
    }
  }
  const byMonth = new Map<string, Map<string, number>>();
  for (const [key, e] of latest) {
    const account = named.get(e.clusterId)?.accountId;
    if (e.environment !== 'production' || account === undefined) continue;
    const month = key.split('|')[1] as string;
    const accounts = byMonth.get(month) ?? new Map<string, number>();
    byMonth.set(month, accounts);
    accounts.set(account, (accounts.get(account) ?? 0) + nodesOf(e));
  }
  return byMonth;
}

const kaIn = (nodes: Map<string, Map<string, number>>, month: string) =>
  new Set([...(nodes.get(month) ?? new Map())].filter(([, n]) => n >= 50).map(([a]) => a));

describe('the demo story', () => {
  it('spans the 36 months ending with the last complete month in the reporting zone', () => {
    expect(months).toHaveLength(36);
    expect([first, last]).toEqual(['2023-11', '2026-10']);
    // 20:00 UTC on 30 November is already 1 December in Shanghai: November is then complete.
    expect(storyMonths(new Date('2026-11-30T20:00:00Z'), timeZone).at(-1)).toBe('2026-11');
    expect(isoWithOffset(new Date('2026-03-14T01:30:00Z'), timeZone)).toBe(
      '2026-03-14T09:30:00+08:00',
    );
    // Newfoundland: a half-hour offset, and daylight saving moves it.
    const stJohns = (at: string) => isoWithOffset(new Date(at), 'America/St_Johns');
    expect(stJohns('2026-01-14T01:30:00Z')).toBe('2026-01-13T22:00:00-03:30');
    expect(stJohns('2026-07-14T01:30:00Z')).toBe('2026-07-13T23:00:00-02:30');
  });

  it('is the same story for the same seed, and another for another seed', () => {
    // Members carry their affiliation as a function of the month: compare what it answers.
    const plain = ({ company, community }: ReturnType<typeof story>) => ({
      company,
      community: {
        ...community,
        members: community.members.map(({ accountAt, ...member }) => ({
          ...member,
          affiliations: months.map((_, i) => accountAt(i)),
        })),
      },
    });
    expect(plain(story(9))).toEqual(plain(main));
    expect(stories.get(1)?.company.events).not.toEqual(main.company.events);
    expect(stories.get(1)?.community.activities).not.toEqual(main.community.activities);
  });

  it.each([9, 1, 2])('grows from ~30 key accounts to ~270 in the last year (seed %i)', (seed) => {
    const nodes = productionNodes(stories.get(seed)?.company.events ?? []);
    const ka = (month: string) => kaIn(nodes, month).size;
    expect(ka(first)).toBeGreaterThanOrEqual(5);
    expect(ka(first)).toBeLessThanOrEqual(12);
    for (const base of [months.at(-13) as Month, decemberBefore(last)]) {
      expect(ka(base)).toBeGreaterThanOrEqual(25);
      expect(ka(base)).toBeLessThanOrEqual(40);
    }
    expect(ka(last)).toBeGreaterThanOrEqual(240);
    expect(ka(last)).toBeLessThanOrEqual(300);
    expect(ka(last) / ka(decemberBefore(last))).toBeGreaterThan(7);
  });

  it('sends only events the webhook accepts, none in the future, each id once', () => {
    const { events } = main.company;
    const id = /^[A-Za-z0-9._:-]{1,128}$/;
    const now = Date.now();
    const environments = ['production', 'staging', 'development', 'test'];
    const window = new Set<string>(months);
    // One assertion over all ~30,000 events: quick, and a failure lists the offenders.
    const invalid = events.filter((e) => {
      const nodes = nodesOf(e);
      return !(
        id.test(e.eventId) &&
        id.test(e.clusterId) &&
        (e.accountId === undefined || id.test(e.accountId)) &&
        environments.includes(e.environment) &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(e.reportedAt) &&
        Date.parse(e.reportedAt) < now &&
        window.has(monthOf(e.reportedAt, timeZone)) &&
        Number.isInteger(nodes) &&
        nodes >= 0 &&
        nodes <= 100_000
      );
    });
    expect(invalid.slice(0, 5)).toEqual([]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    // Big enough to be a story, small enough to send in a minute or two on a laptop.
    expect(events.length).toBeGreaterThan(10_000);
    expect(events.length).toBeLessThan(30_000);
  });

  it('has near-KAs, churned-then-reactivated accounts, staging and unattributed clusters', () => {
    const { events, accounts } = main.company;
    const nodes = productionNodes(events);
    const near = [...(nodes.get(last) ?? new Map()).values()].filter((n) => n >= 30 && n < 50);
    expect(near.length).toBeGreaterThanOrEqual(20);
    const kaSets = months.map((m) => kaIn(nodes, m));
    const reactivated = accounts.filter((a) =>
      kaSets.some(
        (ka, i) =>
          i >= 2 &&
          ka.has(a.accountId) &&
          !kaSets[i - 1]?.has(a.accountId) &&
          kaSets.slice(0, i - 1).some((earlier) => earlier.has(a.accountId)),
      ),
    );
    expect(reactivated.length).toBeGreaterThanOrEqual(5);
    expect(events.some((e) => e.environment === 'staging' && e.accountId)).toBe(true);
    expect(events.some((e) => e.accountId === undefined && e.environment === 'production')).toBe(
      true,
    );
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(accounts.length);
    expect(new Set(accounts.map((a) => a.name)).size).toBe(accounts.length);
  });

  it('has a few hundred members, a few thousand valid activities, and reviewed content', () => {
    const { members, activities, reviews } = main.community;
    expect(members.length).toBeGreaterThan(200);
    expect(members.length).toBeLessThan(600);
    expect(activities.length).toBeGreaterThan(2000);
    expect(activities.length).toBeLessThan(8000);
    const now = Date.now();
    const invalid = activities.filter(
      (a) =>
        !(
          a.activityId.length <= 256 &&
          /^[A-Za-z0-9._:-]+$/.test(a.activityId) &&
          (a.member.email ?? a.member.github ?? a.member.forum) !== undefined &&
          /[+-]\d{2}:\d{2}$/.test(a.occurredAt) &&
          Date.parse(a.occurredAt) < now
        ),
    );
    expect(invalid.slice(0, 5)).toEqual([]);
    expect(new Set(activities.map((a) => a.activityId)).size).toBe(activities.length);
    const ids = new Set(activities.map((a) => a.activityId));
    expect(reviews.every((r) => ids.has(r.activityId))).toBe(true);
    expect(
      reviews.every((r) => ['article', 'case-study', 'video', 'course'].includes(r.type)),
    ).toBe(true);
    const recognized = reviews.filter((r) => r.status === 'recognized').length;
    const rejected = reviews.filter((r) => r.status === 'rejected').length;
    expect(rejected).toBeGreaterThan(0);
    expect(recognized).toBeGreaterThan(3 * rejected); // most content is recognised
  });

  it('affiliates members with key accounts, so champion coverage means something', () => {
    const nodes = productionNodes(main.company.events);
    const kas = kaIn(nodes, last);
    const cutoff = months.at(-12) as Month;
    const champions = new Set(
      main.community.activities
        .filter((a) => a.member.accountId && monthOf(a.occurredAt, timeZone) >= cutoff)
        .map((a) => a.member.accountId),
    );
    const covered = [...kas].filter((account) => champions.has(account)).length / kas.size;
    expect(covered).toBeGreaterThan(0.2);
    expect(covered).toBeLessThan(0.8);
  });

  it('has an acquisition: a churn and a jump on the books, one account once merged (SPEC §9)', () => {
    const acquisition = main.company.acquisition;
    expect(acquisition).toBeDefined();
    const { into, account, month } = acquisition as NonNullable<typeof acquisition>;
    const nodes = productionNodes(main.company.events);
    const before = months[months.indexOf(month) - 1] as string;
    // Unmerged: the bought account leaves the KAs the month it is bought, its buyer jumps.
    expect(kaIn(nodes, before).has(account)).toBe(true);
    expect(kaIn(nodes, month).has(account)).toBe(false);
    // Merged (an alias counts as its canonical account): one KA throughout, no churn.
    const merged = new Map(
      [...nodes].map(([m, accounts]) => {
        const copy = new Map(accounts);
        copy.set(into, (copy.get(into) ?? 0) + (copy.get(account) ?? 0));
        copy.delete(account);
        return [m, copy];
      }),
    );
    for (const m of [before, month]) expect(kaIn(merged, m).has(into)).toBe(true);
    const total = (map: Map<string, Map<string, number>>, m: string) =>
      [...(map.get(m)?.values() ?? [])].reduce((a, b) => a + b, 0);
    expect(total(merged, month)).toBe(total(nodes, month));
  });

  it('raises the evangelist program every year: MVE 3 (default), then 4, then 5', () => {
    expect(
      main.community.programs.map((p) => [p.year, p.tiers[0]?.id, p.tiers[0]?.minCount]),
    ).toEqual([
      [2025, 'mve', 4],
      [2026, 'mve', 5],
    ]);
  });

  it('gives the last month’s report a flywheel to show: community-sourced new KAs and a lost champion', () => {
    // The independent oracle of SPEC §10 (test/support), on what the demo sends (seed 9).
    const { company, community } = main;
    const flywheel = flywheelExpectations({
      events: company.events,
      facts: {
        timezone: timeZone,
        deliveries: [...community.activities, ...community.reviews] as CommunityActivity[],
        merges: [],
        reviews: [],
        programs: new Map(),
      },
      months,
      rules: defaultKaRules(timeZone),
    });
    const ka = [...flywheel.kaOf(last)];
    expect(ka.filter((a) => flywheel.communitySourced(last, a)).length).toBeGreaterThan(0);
    expect(flywheel.alerts(last).length).toBeGreaterThan(0);
    const bridge = flywheel.bridge(last);
    for (const term of ['new', 'expansion', 'contraction'] as const) {
      expect(bridge[term], term).toBeGreaterThan(0);
    }
  }, 120_000);
});
