import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_TYPES,
  type CommunityFacts,
  expectedChampionCoverage,
  expectedEvangelists,
  expectedMembers,
  identityKeysOf,
} from '../support/community-expectations.js';
import { communityDeliveries, communityScenario } from '../support/community-scenario.js';
import { defaultKaRules, expectedKaMonths, monthInZone } from '../support/ka-expectations.js';

/** The scenario itself, checked so that the end-to-end test really covers what it claims to. */

const SEED = 20240229;
const TZ = 'Asia/Shanghai';
const scenario = communityScenario(SEED, TZ);
const phases = communityDeliveries(scenario, SEED);
const facts: CommunityFacts = {
  timezone: TZ,
  deliveries: [...scenario.originals, ...scenario.lateReviews, ...scenario.staleCopies],
  merges: scenario.merges,
  reviews: scenario.reviews,
  programs: scenario.programs,
};
const personOf = (activityId: string) => activityId.split('-')[1] ?? '';

describe('communityScenario', () => {
  it('is the same for the same seed, and valid for SPEC §2', () => {
    expect(communityScenario(SEED, TZ)).toEqual(scenario);
    const ids = scenario.originals.map((a) => a.activityId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(scenario.people.length).toBe(300);
    expect(ids.length).toBeGreaterThan(1500);
    for (const a of scenario.originals) {
      expect(a.occurredAt).toMatch(/(Z|[+-]\d\d:\d\d)$/);
      expect(Date.parse(a.occurredAt)).toBeLessThan(Date.parse('2025-07-01T00:00:00+08:00'));
      expect(identityKeysOf(a.member).length).toBeGreaterThan(0);
    }
    expect(new Set(scenario.originals.map((a) => a.type))).toEqual(new Set(ACTIVITY_TYPES));
  });

  it('spells identities as senders do and links most of them only across activities', () => {
    const values = scenario.originals.flatMap((a) => [a.member.email, a.member.github ?? '']);
    expect(values.some((v) => v?.startsWith('  '))).toBe(true);
    expect(values.some((v) => v?.startsWith('@'))).toBe(true);
    expect(values.some((v) => v !== undefined && /[A-Z]/.test(v))).toBe(true);
    // Members with 3+ identities of which no single activity carries all.
    const transitive = expectedMembers(facts).filter(
      (m) =>
        m.identities.length >= 3 &&
        !m.activities.some((a) => a.identities.length === m.identities.length),
    );
    expect(transitive.length).toBeGreaterThan(30);
  });

  it('needs its admin merges to join some members, and changes some affiliations', () => {
    const merged = expectedMembers(facts).length;
    expect(expectedMembers({ ...facts, merges: [] }).length).toBe(merged + 10);
    const accounts = new Map<string, Set<string>>();
    for (const a of scenario.originals) {
      if (a.member.accountId === undefined) continue;
      const set = accounts.get(personOf(a.activityId)) ?? new Set();
      accounts.set(personOf(a.activityId), set.add(a.member.accountId));
    }
    expect([...accounts.values()].filter((s) => s.size > 1).length).toBeGreaterThan(10);
  });

  it('puts activities a minute either side of New Year in the zone', () => {
    for (const year of [2023, 2024, 2025]) {
      const around = scenario.originals.filter((a) => {
        const local = new Date(Date.parse(a.occurredAt) + 8 * 3_600_000).toISOString();
        return (
          local.startsWith(`${year - 1}-12-31T23:59`) || local.startsWith(`${year}-01-01T00:01`)
        );
      });
      expect(around.length, String(year)).toBeGreaterThanOrEqual(2);
      // Some are written in UTC, where 00:01 local on January 1st is still the old year.
      expect(
        around.some((a) => monthInZone(a.occurredAt, 'UTC') !== monthInZone(a.occurredAt, TZ)),
      ).toBe(true);
    }
  });

  it('recognises content late, re-sends stale submissions, and reviews some', () => {
    expect(scenario.lateReviews.length).toBeGreaterThan(50);
    expect(scenario.staleCopies.length).toBeGreaterThan(20);
    expect(new Set(scenario.reviews.map((r) => r.status))).toEqual(
      new Set(['recognized', 'rejected', 'submitted']),
    );
  });

  it('delivers in batches of at most 200, with copies, retries and concurrent waves', () => {
    const deliveries = phases.flat(2);
    expect(Math.max(...deliveries.map((d) => d.items.length))).toBeLessThanOrEqual(200);
    expect(deliveries.filter((d) => d.redelivery).length).toBeGreaterThan(0);
    const sent = deliveries.reduce((sum, d) => sum + d.items.length, 0);
    expect(sent).toBeGreaterThan(scenario.originals.length * 1.15);
    // People whose identity-joining activities land in different batches of one concurrent wave.
    const concurrent = new Set<string>();
    for (const wave of phases[0] ?? []) {
      const batchesOf = new Map<string, Set<number>>();
      wave.forEach((d, b) => {
        for (const a of d.items) {
          if (identityKeysOf(a.member).length < 2) continue;
          batchesOf.set(
            personOf(a.activityId),
            (batchesOf.get(personOf(a.activityId)) ?? new Set()).add(b),
          );
        }
      });
      for (const [person, batches] of batchesOf) if (batches.size > 1) concurrent.add(person);
    }
    expect(concurrent.size).toBeGreaterThan(20);
  });

  it('reaches every tier and gives champion coverage of every kind', () => {
    const tiers = new Set(expectedEvangelists(facts, 2024, '2024-12').flatMap((r) => r.tiers));
    expect(tiers).toEqual(new Set(['mve', 'outstanding', 'helper']));
    const ka = expectedKaMonths(scenario.telemetry, scenario.months, defaultKaRules(TZ));
    const kaByMonth = new Map(
      ka.map((m) => [
        m.month,
        new Set(
          m.accounts
            .filter((a) => a.status !== 'churned' && a.status !== 'near')
            .map((a) => a.accountId),
        ),
      ]),
    );
    const coverage = [...expectedChampionCoverage(facts, kaByMonth, scenario.months).values()];
    expect(coverage).toContain(null);
    expect(coverage.some((c) => c !== null && c > 0 && c < 1)).toBe(true);
    expect(new Set([...kaByMonth.values()].flatMap((s) => [...s])).size).toBeGreaterThanOrEqual(18);
  });
});
