import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import { storeActivities } from '../../lambdas/store/community-store.js';
import { getConfig } from '../../lambdas/store/config-store.js';
import { seededRandom } from '../support/telemetry-scenario.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * `GET /activities` (SPEC §7) read a page at a time from the time index: every page put together
 * is exactly the filtered list, oldest first at full precision then by id, whatever the page size.
 * The expected list comes from a model written from SPEC's words, not from the route's code.
 */
let system: TestSystem;
let zone: string;
const stored: Activity[] = [];

const types = ['talk', 'article', 'answer'] as const;

/**
 * 400 activities of 30 members over 2024–2025. Some share an instant (ids then decide), some carry
 * microseconds, some fall in the last hours of a month in UTC (the next month in the zone).
 */
function activities(): Activity[] {
  const random = seededRandom(5);
  const next = () => random.next();
  return Array.from({ length: 400 }, (_, i) => {
    const member = Math.floor(next() * 30);
    const month = 1 + Math.floor(next() * 24);
    const year = month > 12 ? 2025 : 2024;
    const mm = String(((month - 1) % 12) + 1).padStart(2, '0');
    const shape = i % 10;
    const occurredAt =
      shape === 0
        ? `${year}-${mm}-15T12:00:00Z` // shared by every tenth activity of the month
        : shape === 1
          ? `${year}-${mm}-${String(2 + Math.floor(next() * 26)).padStart(2, '0')}T08:00:00.123456Z`
          : shape === 2
            ? `${year}-${mm}-28T23:30:00Z`
            : `${year}-${mm}-${String(2 + Math.floor(next() * 26)).padStart(2, '0')}T${String(Math.floor(next() * 24)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}:00Z`;
    const type = types[Math.floor(next() * 3)] as Activity['type'];
    const status =
      type === 'article'
        ? (['submitted', 'recognized', 'rejected'] as const)[Math.floor(next() * 3)]
        : 'delivered';
    return {
      activityId: `act-${String(Math.floor(next() * 1e6)).padStart(6, '0')}-${i}`,
      type,
      status: status as Activity['status'],
      occurredAt,
      identities: [`github:person${member}` as IdentityKey],
      name: `Person ${member}`,
    };
  });
}

/** An instant as nanoseconds since the epoch: full precision, for the model's order. */
function nanos(iso: string): bigint {
  const fraction = /\.(\d+)Z$/.exec(iso)?.[1] ?? '';
  const whole = Date.parse(iso.replace(/\.\d+Z$/, 'Z'));
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

/** The month (YYYY-MM) an instant falls in, in the reporting zone. */
function monthIn(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}`;
}

interface Filters {
  type?: string;
  status?: string;
  from?: string;
  to?: string;
}

/** SPEC §7: the activities the filters keep, oldest first, then by id. */
function expected(filters: Filters): string[] {
  return stored
    .filter((a) => !filters.type || filters.type.split(',').includes(a.type))
    .filter((a) => !filters.status || filters.status.split(',').includes(a.status))
    .filter((a) => !filters.from || monthIn(a.occurredAt) >= filters.from)
    .filter((a) => !filters.to || monthIn(a.occurredAt) <= filters.to)
    .sort((a, b) => {
      const at = nanos(a.occurredAt) - nanos(b.occurredAt);
      if (at !== 0n) return at < 0n ? -1 : 1;
      return a.activityId < b.activityId ? -1 : a.activityId > b.activityId ? 1 : 0;
    })
    .map((a) => a.activityId);
}

/** Every page of the list, followed by `nextCursor`; how many requests it took. */
async function everyPage(query: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let requests = 0;
  let short = 0;
  const limit = Number(/limit=(\d+)/.exec(query)?.[1] ?? 100);
  do {
    const path = `/activities?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await system.api(path);
    expect(response.status, path).toBe(200);
    const body = (await response.json()) as {
      activities: { activityId: string; member: { memberId: string } }[];
      nextCursor: string | null;
    };
    requests += 1;
    if (body.nextCursor && body.activities.length < limit) short += 1;
    expect(body.activities.length).toBeLessThanOrEqual(limit);
    ids.push(...body.activities.map((a) => a.activityId));
    cursor = body.nextCursor;
  } while (cursor);
  return { ids, requests, short };
}

beforeAll(async () => {
  system = await startTestSystem();
  zone = (await getConfig()).timezone;
  stored.push(...activities());
  await storeActivities(stored, zone);
}, 120_000);
afterAll(() => system?.stop());

describe('GET /activities, read a page at a time', () => {
  it.each([
    ['limit=100', {}],
    ['limit=7', {}],
    [
      'limit=1&type=article&status=submitted,recognized',
      { type: 'article', status: 'submitted,recognized' },
    ],
    [
      'limit=13&type=talk,answer&from=2024-04&to=2024-09',
      { type: 'talk,answer', from: '2024-04', to: '2024-09' },
    ],
    ['limit=50&from=2025-03', { from: '2025-03' }],
    ['limit=50&to=2024-01', { to: '2024-01' }],
    [
      'limit=20&status=rejected&from=2024-12&to=2024-12',
      { status: 'rejected', from: '2024-12', to: '2024-12' },
    ],
  ] as const)(
    '%s: the pages together are the filtered list, oldest first',
    async (query, filters) => {
      const want = expected(filters);
      expect(want.length).toBeGreaterThan(0);
      const { ids, requests } = await everyPage(query);
      expect(ids).toEqual(want);
      const limit = Number(/limit=(\d+)/.exec(query)?.[1]);
      // A page ends where the list does, or one more (empty) page says so after a full one.
      expect(requests).toBeLessThanOrEqual(Math.ceil(want.length / limit) + 1);
    },
  );

  it('lists one member’s activities, found by identity, filtered', async () => {
    const mine = stored.filter((a) => a.identities[0] === 'github:person3');
    const { ids } = await everyPage('member=github:person3&limit=5&type=talk');
    expect(ids).toEqual(
      expected({ type: 'talk' }).filter((id) => mine.some((a) => a.activityId === id)),
    );
  });

  it('answers a rare filter in bounded reads: short pages with a cursor, nothing lost', async () => {
    // 2,100 later talks, then two answers: one request reads at most 2,000 activities here.
    const later: Activity[] = Array.from({ length: 2100 }, (_, i) => ({
      activityId: `late-${String(i).padStart(5, '0')}`,
      type: 'talk',
      status: 'delivered',
      occurredAt: `2026-0${1 + (i % 3)}-10T10:00:00Z`,
      identities: [`github:later${i % 50}` as IdentityKey],
    }));
    const rare: Activity[] = ['2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'].map((at, i) => ({
      activityId: `rare-${i}`,
      type: 'answer',
      status: 'delivered',
      occurredAt: at,
      identities: ['github:rare' as IdentityKey],
    }));
    await storeActivities([...later, ...rare], zone);
    stored.push(...later, ...rare);
    const { ids, short } = await everyPage('type=answer&from=2026-01&limit=1');
    expect(ids).toEqual(['rare-0', 'rare-1']);
    // The first request met the budget before any answer: a short (empty) page with a cursor.
    expect(short).toBeGreaterThan(0);
  }, 120_000);
});
