import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestSystem } from '../support/test-system.js';
import {
  deliveriesOf,
  deliverUntilAccepted,
  expectMetricsOfCleanRun,
  from,
  recalculate,
  scenario,
  to,
} from './support/scenario.js';
import { startFaultSystem } from './support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startFaultSystem();
});
afterAll(() => system?.stop());

it('gives the results of a single run when two recalculations of overlapping months run at once', async () => {
  // The months were computed before from part of the facts, so both jobs replace results (and
  // account lists) that change, rather than write into empty months.
  const deliveries = deliveriesOf(scenario.events, 60);
  const early = deliveries.slice(0, 5);
  await deliverUntilAccepted(system, early, { width: 3 });
  expect(await recalculate(system)).toMatchObject({ status: 'succeeded' });
  await expectMetricsOfCleanRun(
    system,
    early.flatMap((d) => d.events),
  );
  await deliverUntilAccepted(system, deliveries.slice(5), { width: 3 });

  // Both start at the first month, so each computes every month from the same history.
  const jobs = await Promise.all([
    recalculate(system, { from, to }),
    recalculate(system, { from, to: '2025-01' }),
  ]);
  expect(jobs.map((job) => job.status)).toEqual(['succeeded', 'succeeded']);
  await expectMetricsOfCleanRun(system);
});
