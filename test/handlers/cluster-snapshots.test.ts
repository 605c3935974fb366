import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterResponse } from '../../lambdas/handlers/api/evidence-schemas.js';
import { deliverSigned } from '../support/signed-delivery.js';
import { seededRandom } from '../support/telemetry-scenario.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * SPEC §7 `GET /clusters/{clusterId}`: `snapshots` is the cluster's latest 100 facts by
 * `reportedAt`, newest first — every stored snapshot, several a month, not one per month value —
 * however they arrived: shuffled, in several deliveries, some of them redelivered.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const hour = 3_600_000;
const start = Date.UTC(2025, 0, 1, 6);

interface Sent {
  readonly eventId?: string;
  readonly clusterId: string;
  readonly environment: 'production';
  readonly nodes: number;
  readonly reportedAt: string;
}

/** An instant written in UTC, or in +08:00 (the same instant, other text). */
const written = (ms: number, zone: 'Z' | '+08:00') =>
  zone === 'Z'
    ? new Date(ms).toISOString()
    : `${new Date(ms + 8 * hour).toISOString().slice(0, 23)}+08:00`;

const snapshot = (
  clusterId: string,
  nodes: number,
  reportedAt: string,
  eventId?: string,
): Sent => ({
  ...(eventId ? { eventId } : {}),
  clusterId,
  environment: 'production',
  nodes,
  reportedAt,
});

const idOf = (event: Sent) => event.eventId ?? `${event.clusterId}@${event.reportedAt}`;

const deliver = async (events: readonly Sent[], id?: string) => {
  const response = await deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    { events },
    id ? { id } : {},
  );
  expect(response.status).toBe(202);
  return (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
};

const cluster = async (clusterId: string) => {
  const response = await system.api(`/clusters/${clusterId}`);
  expect(response.status).toBe(200);
  return clusterResponse.parse(await response.json());
};

describe('GET /clusters/{clusterId} snapshots (SPEC §7)', () => {
  // 130 snapshots 23 hours apart (about 31 a month, January to May 2025), every other one written
  // in +08:00, plus five at chosen places near the newest end: two at one instant, two in one
  // millisecond, one with an explicit eventId. Newest first they are, by construction:
  // 129, 128, tie-b, tie-a, 127, …0009Z, …0001Z, 126, evt-x, 125, 124, … 0.
  const id = 'c-history';
  const at = (i: number) => start + i * 23 * hour;
  const regular = Array.from({ length: 130 }, (_, i) =>
    snapshot(id, 1 + (i % 97), written(at(i), i % 2 === 0 ? 'Z' : '+08:00')),
  );
  const tie = at(127) + hour;
  const ties = [
    snapshot(id, 5, written(tie, 'Z'), 'tie-b'),
    snapshot(id, 6, written(tie, 'Z'), 'tie-a'),
  ];
  const millisecond = written(at(126) + hour / 2, 'Z');
  const subMs = [
    snapshot(id, 7, millisecond.replace('.000Z', '.0009Z')),
    snapshot(id, 8, millisecond.replace('.000Z', '.0001Z')),
  ];
  const explicit = snapshot(id, 40, written(at(125) + 2 * hour, 'Z'), 'evt-x');
  /** Every distinct snapshot, newest first, with the instant it stands for (ms). */
  const newestFirst: { event: Sent; ms: number }[] = [];
  for (let i = 129; i >= 0; i--) {
    if (i === 127) newestFirst.push(...ties.map((event) => ({ event, ms: tie })));
    if (i === 126) newestFirst.push(...subMs.map((event) => ({ event, ms: at(126) + hour / 2 })));
    if (i === 125) newestFirst.push({ event: explicit, ms: at(125) + 2 * hour });
    newestFirst.push({ event: regular[i] as Sent, ms: at(i) });
  }

  // Redeliveries that changed a field: the same event (same eventId, cluster and instant) again.
  const changed = [
    { ...explicit, nodes: 41, reportedAt: written(at(125) + 2 * hour, '+08:00') },
    { ...(regular[128] as Sent), nodes: 99 },
    { ...(regular[3] as Sent), nodes: 99 },
  ];

  beforeAll(async () => {
    const random = seededRandom(17);
    const events = random.shuffle([...regular, ...ties, ...subMs, explicit]);
    const totals = { accepted: 0, duplicates: 0 };
    const count = (result: { accepted: number; duplicates: number; rejected: unknown[] }) => {
      expect(result.rejected).toEqual([]);
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
    };
    const first = events.slice(0, 20);
    count(await deliver(first, 'msg_history_0'));
    for (let i = 20; i < events.length; i += 20) count(await deliver(events.slice(i, i + 20)));
    count(await deliver(first, 'msg_history_0')); // the first delivery, retried whole
    count(await deliver(changed));
    expect(totals).toEqual({ accepted: 135, duplicates: 20 + changed.length });
  });

  it('lists the latest 100 of all its snapshots by reportedAt, newest first, each once', async () => {
    const { snapshots } = await cluster(id);
    const expected = newestFirst.slice(0, 100).map(({ event }) => event);
    expect(snapshots.map((s) => s.eventId)).toEqual(expected.map(idOf));
    expect(snapshots.map((s) => [s.reportedAt, s.nodes])).toEqual(
      expected.map((e) => [e.reportedAt, e.nodes]),
    );
    for (const s of snapshots) expect(s.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(snapshots).toHaveLength(100);
  });

  it('keeps the first stored copy of a redelivered snapshot that changed a field', async () => {
    const { snapshots } = await cluster(id);
    const x = snapshots.filter((s) => s.eventId === 'evt-x');
    expect(x).toEqual([expect.objectContaining({ nodes: 40, reportedAt: explicit.reportedAt })]);
    const redelivered = snapshots.filter((s) => s.eventId === idOf(regular[128] as Sent));
    expect(redelivered.map((s) => s.nodes)).toEqual([(regular[128] as Sent).nodes]);
  });

  it('orders snapshots of one instant by eventId, descending, and one millisecond at full precision', async () => {
    const { snapshots } = await cluster(id);
    const ids = snapshots.map((s) => s.eventId);
    expect(ids.slice(2, 4)).toEqual(['tie-b', 'tie-a']);
    expect(ids.slice(5, 7)).toEqual(subMs.map(idOf)); // .0009Z before .0001Z
  });

  it('still shows one month value per month: the latest snapshot of each month', async () => {
    const { months } = await cluster(id);
    const latest = new Map<string, Sent>();
    for (const { event, ms } of newestFirst) {
      const month = new Date(ms).toISOString().slice(0, 7);
      if (!latest.has(month)) latest.set(month, event);
    }
    expect(months.map((m) => [m.month, m.eventId, m.nodes])).toEqual(
      [...latest].reverse().map(([month, event]) => [month, idOf(event), event.nodes]),
    );
  });
});

describe('an eventId a sender reuses', () => {
  it('for another instant or cluster is another snapshot; the month value is still the latest', async () => {
    const result = await deliver([
      snapshot('c-reuse-1', 10, '2025-03-01T00:00:00Z', 'same-id'),
      snapshot('c-reuse-1', 20, '2025-03-02T00:00:00Z', 'same-id'),
      snapshot('c-reuse-2', 30, '2025-03-01T00:00:00Z', 'same-id'),
    ]);
    expect(result).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const one = await cluster('c-reuse-1');
    expect(one.snapshots.map((s) => [s.eventId, s.nodes])).toEqual([
      ['same-id', 20],
      ['same-id', 10],
    ]);
    expect(one.months.map((m) => [m.month, m.nodes])).toEqual([['2025-03', 20]]);
    const two = await cluster('c-reuse-2');
    expect(two.snapshots.map((s) => [s.eventId, s.nodes])).toEqual([['same-id', 30]]);
  });
});
