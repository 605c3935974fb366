import { describe, expect, it } from 'vitest';
import {
  defaultKaRules,
  eventIdOf,
  expectedKaMonths,
  monthInZone,
  nodesOf,
} from '../support/ka-expectations.js';
import {
  type TelemetryEvent,
  telemetryDeliveries,
  telemetryScenario,
} from '../support/telemetry-scenario.js';

/** The scenario itself, checked so that the end-to-end test really covers what it claims to. */

const SEED = 20250630;
const scenario = telemetryScenario({ seed: SEED, timezone: 'Asia/Shanghai' });
const expected = expectedKaMonths(
  scenario.events,
  scenario.months,
  defaultKaRules('Asia/Shanghai'),
);
const CLUSTER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];

const eventsOf = (clusterId: string) =>
  scenario.events
    .filter((e) => e.clusterId === clusterId)
    .sort((a, b) => Date.parse(a.reportedAt) - Date.parse(b.reportedAt));

describe('telemetryScenario', () => {
  it('is the same for the same seed, and another for another seed', () => {
    expect(telemetryScenario({ seed: SEED, timezone: 'Asia/Shanghai' })).toEqual(scenario);
    const other = telemetryScenario({ seed: SEED + 1, timezone: 'Asia/Shanghai' });
    expect(other.events).not.toEqual(scenario.events);
  });

  it('produces only items SPEC §2 accepts, in the past, each with its own id', () => {
    const valid = (e: TelemetryEvent) =>
      CLUSTER_ID.test(e.clusterId) &&
      (e.accountId === undefined || CLUSTER_ID.test(e.accountId)) &&
      ENVIRONMENTS.includes(e.environment) &&
      Number.isInteger(nodesOf(e)) &&
      nodesOf(e) >= 0 &&
      nodesOf(e) <= 100_000 &&
      (e.nodes !== undefined || e.components !== undefined) &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/.test(e.reportedAt) &&
      Date.parse(e.reportedAt) < Date.now() &&
      (e.eventId ?? '').length <= 128;
    expect(scenario.events.filter((e) => !valid(e))).toEqual([]);
    expect(new Set(scenario.events.map(eventIdOf)).size).toBe(scenario.events.length);
    const months = new Set(scenario.events.map((e) => monthInZone(e.reportedAt, 'Asia/Shanghai')));
    expect([...months].sort()).toEqual(scenario.months);
  });

  it('has ~100 accounts of 1–4 clusters, over 30 months', () => {
    const clustersOf = new Map<string, Set<string>>();
    for (const e of scenario.events.filter((e) => e.clusterId.startsWith('acct-'))) {
      const account = e.clusterId.slice(0, 8);
      clustersOf.set(account, (clustersOf.get(account) ?? new Set()).add(e.clusterId));
    }
    expect(clustersOf.size).toBe(100);
    for (const clusters of clustersOf.values()) expect(clusters.size).toBeLessThanOrEqual(4);
    expect(scenario.months).toHaveLength(30);
  });

  it('tells a story with every movement, near-KAs and unattributed nodes', () => {
    const total = (field: 'new' | 'reactivated' | 'churned' | 'nearKaCount') =>
      expected.reduce((sum, m) => sum + m[field], 0);
    expect(total('new')).toBeGreaterThan(20);
    expect(total('reactivated')).toBeGreaterThan(10);
    expect(total('churned')).toBeGreaterThan(10);
    expect(total('nearKaCount')).toBeGreaterThan(100);
    expect(expected.every((m) => m.unattributedNodes > 0)).toBe(true);
    const nodes = expected.flatMap((m) => m.accounts.map((a) => a.productionNodes));
    expect(nodes).toEqual(expect.arrayContaining([30, 50]));
    const churnedNear = expected.flatMap((m) => m.accounts).filter((a) => a.status === 'churned');
    expect(churnedNear.some((a) => a.productionNodes >= 30)).toBe(true);
    expect(churnedNear.some((a) => a.productionNodes === 0)).toBe(true);
  });

  it('moves clusters between accounts, one of them twice', () => {
    expect(scenario.moves.length).toBeGreaterThanOrEqual(8);
    const [first, second] = scenario.moves;
    expect(second?.clusterId).toBe(first?.clusterId);
    for (const move of scenario.moves) {
      const accounts = eventsOf(move.clusterId).map((e) => e.accountId);
      expect(accounts).toContain(move.from);
      expect(accounts).toContain(move.to);
    }
  });

  it('promotes staging clusters to production', () => {
    expect(scenario.promotions.length).toBeGreaterThan(0);
    for (const { clusterId, month } of scenario.promotions) {
      const events = eventsOf(clusterId);
      const before = events.filter((e) => monthInZone(e.reportedAt, 'Asia/Shanghai') < month);
      expect(before.map((e) => e.environment)).toContain('staging');
      expect(before.map((e) => e.environment)).not.toContain('production');
      expect(events.at(-1)?.environment).toBe('production');
    }
  });

  it('mixes in components, explicit ids, versions, offsets and snapshots without an account', () => {
    const share = (test: (e: TelemetryEvent) => boolean) =>
      scenario.events.filter(test).length / scenario.events.length;
    expect(share((e) => e.nodes === undefined)).toBeGreaterThan(0.05);
    expect(share((e) => e.eventId !== undefined)).toBeGreaterThan(0.01);
    expect(share((e) => e.version !== undefined)).toBeGreaterThan(0.1);
    expect(share((e) => e.reportedAt.endsWith('-05:00'))).toBeGreaterThan(0.1);
    const attributed = new Set(scenario.events.filter((e) => e.accountId).map((e) => e.clusterId));
    expect(share((e) => !e.accountId && attributed.has(e.clusterId))).toBeGreaterThan(0.03);
    expect(scenario.unattributedClusters.every((c) => !attributed.has(c))).toBe(true);
  });

  it('has several snapshots of a cluster in one month, the latest not the largest', () => {
    const perClusterMonth = new Map<string, number[]>();
    for (const e of scenario.events) {
      const key = `${e.clusterId} ${monthInZone(e.reportedAt, 'Asia/Shanghai')}`;
      perClusterMonth.set(key, [...(perClusterMonth.get(key) ?? []), nodesOf(e)]);
    }
    const several = [...perClusterMonth.values()].filter((nodes) => new Set(nodes).size > 1);
    expect(several.length).toBeGreaterThan(perClusterMonth.size / 3);
  });

  it('puts snapshots a second either side of local midnight, so a wrong zone shows', () => {
    const local = (e: TelemetryEvent) =>
      new Date(Date.parse(e.reportedAt) + 8 * 3_600_000).toISOString().slice(8, 19);
    const times = scenario.events.map(local);
    expect(times.filter((t) => t.endsWith('T23:59:59')).length).toBeGreaterThan(50);
    expect(times.filter((t) => t === '01T00:00:01').length).toBeGreaterThan(25);
    expect(times.filter((t) => t === '01T00:00:00').length).toBeGreaterThan(5);
    const inUtc = expectedKaMonths(scenario.events, scenario.months, defaultKaRules('UTC'));
    const differing = inUtc.filter((m, i) => m.kaCount !== expected[i]?.kaCount);
    expect(differing.length).toBeGreaterThan(5);
  });
});

describe('telemetryDeliveries', () => {
  const deliveries = telemetryDeliveries(scenario.events, SEED);
  const originals = deliveries.filter((d) => !d.redelivery);

  it('delivers every event in batches of at most 500 items and 1 MiB, none twice in one', () => {
    for (const { items } of deliveries) {
      expect(items.length).toBeLessThanOrEqual(500);
      expect(Buffer.byteLength(JSON.stringify({ events: items }))).toBeLessThan(1024 * 1024);
      expect(new Set(items.map(eventIdOf)).size).toBe(items.length);
    }
    const delivered = new Set(originals.flatMap((d) => d.items.map(eventIdOf)));
    expect(delivered.size).toBe(scenario.events.length);
  });

  it('duplicates ~10% of the events into other batches and retries ~5% of the batches whole', () => {
    const items = originals.reduce((sum, d) => sum + d.items.length, 0);
    expect(items / scenario.events.length).toBeGreaterThan(1.07);
    expect(items / scenario.events.length).toBeLessThan(1.13);
    const retries = deliveries.filter((d) => d.redelivery);
    expect(retries.length).toBeGreaterThanOrEqual(1);
    for (const retry of retries) expect(originals).toContainEqual({ ...retry, redelivery: false });
  });
});
