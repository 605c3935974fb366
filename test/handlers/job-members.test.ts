import { afterAll, beforeAll, expect, it } from 'vitest';
import { meteredClient } from '../../bench/capacity.js';
import { recalculateKa } from '../../lambdas/compute/recalculate-ka.js';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import { type Month, parseMonth } from '../../lambdas/domain/month.js';
import { setDocumentClient } from '../../lambdas/store/client.js';
import { allActivities, storeActivities } from '../../lambdas/store/community-store.js';
import { dirtyMonths, listMonths } from '../../lambdas/store/months-store.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const months = (...names: string[]): Month[] => names.map(parseMonth);
const noop = async () => {};

/** A talk by one of 100 members in 2025, the i-th of them. */
const talk = (i: number, day = 1 + (i % 28)): Activity => ({
  activityId: `talk-${i}`,
  type: 'talk',
  occurredAt: `2025-${String(1 + (i % 6)).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00Z`,
  status: 'delivered',
  identities: [`email:m${i % 100}@example.com` as IdentityKey],
});

it("resolves a job's members once in a warm environment, and keeps later arrivals' months dirty", async () => {
  await storeActivities(
    Array.from({ length: 600 }, (_, i) => talk(i)),
    'UTC',
  );
  const meter = meteredClient();
  setDocumentClient(meter.client);
  try {
    meter.reset();
    await allActivities();
    const activitiesRead = meter.read();
    expect(activitiesRead).toBeGreaterThan(0);

    // A job of two runs: the second reuses the members its first run resolved.
    await recalculateKa(months('2025-01', '2025-02', '2025-03'), noop, 'job-a');
    meter.reset();
    await recalculateKa(months('2025-04', '2025-05', '2025-06'), noop, 'job-a');
    const reused = meter.read();
    // The same run in another job resolves them again: every activity is read once more.
    meter.reset();
    await recalculateKa(months('2025-04', '2025-05', '2025-06'), noop, 'job-b');
    const resolved = meter.read();
    expect(resolved - reused).toBeGreaterThanOrEqual(activitiesRead * 0.9);

    // An activity stored after job-b resolved its members is not in them: the month it touches
    // must stay dirty after job-b recomputes it, for the next daily run.
    await storeActivities([talk(1_000, 15)], 'UTC');
    await recalculateKa(months('2025-04', '2025-05', '2025-06'), noop, 'job-b');
    const dirty = dirtyMonths(await listMonths());
    expect(dirty).toContain(talk(1_000).occurredAt.slice(0, 7));
    // Outside a job the members are read afresh, so the month is clean after it.
    await recalculateKa(months('2025-05'), noop, null);
    expect(dirtyMonths(await listMonths())).not.toContain('2025-05');
  } finally {
    setDocumentClient(undefined);
  }
});
