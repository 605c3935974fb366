import { afterAll, beforeAll, expect, it } from 'vitest';
import { finishRebuild } from '../../lambdas/compute/rebuild-month-values.js';
import { recalculationStates } from '../../lambdas/orchestration/recalculation-machine.js';
import { monthValuesStaleSince, setMonthValuesStale } from '../../lambdas/store/rebuild-store.js';
import { stateMachines } from '../../lambdas/system.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

async function recalculate(from: string, to: string) {
  const response = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from, to }),
  });
  await waitForJob(system.api, ((await response.json()) as { jobId: string }).jobId);
  const rows = await system.api(`/metrics/ka?from=${from}&to=${to}`);
  return ((await rows.json()) as { months: { month: string; kaCount: number }[] }).months;
}

it('rebuilds month values from the stored snapshots when the reporting zone changes', async () => {
  // 20:00 UTC on Jan 31 is already February in Shanghai.
  const response = await deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    {
      events: [
        {
          clusterId: 'k1',
          accountId: 'kappa',
          environment: 'production',
          nodes: 70,
          reportedAt: '2025-01-31T20:00:00Z',
        },
      ],
    },
  );
  expect(response.status).toBe(202);
  const inUtc = await recalculate('2025-01', '2025-02');
  expect(inUtc.map((row) => [row.month, row.kaCount])).toEqual([
    ['2025-01', 1],
    ['2025-02', 0],
  ]);
  const changed = await system.api('/admin/config', {
    method: 'PUT',
    body: JSON.stringify({ timezone: 'Asia/Shanghai' }),
  });
  expect(changed.status).toBe(200);
  expect(await monthValuesStaleSince()).not.toBeNull();
  const before = system.executions().length;
  const inShanghai = await recalculate('2025-01', '2025-02');
  expect(inShanghai.map((row) => [row.month, row.kaCount])).toEqual([
    ['2025-01', 0],
    ['2025-02', 1],
  ]);
  // The job rebuilt the values first, fanned out: every month with values dropped, every scan
  // segment folded, then the values marked current — before its runs.
  const [job] = system.executions().slice(before);
  const states = job?.tasks.map((task) => task.state) ?? [];
  const s = recalculationStates;
  expect(states.filter((state) => state === s.dropOne)).toHaveLength(2);
  expect(states.filter((state) => state === s.foldOne)).toHaveLength(
    stateMachines.recalculation.rebuildSegments,
  );
  expect(states.indexOf(s.rebuilt)).toBeLessThan(states.indexOf(s.run));
  expect(states.indexOf(s.rebuilt)).toBeGreaterThan(states.lastIndexOf(s.foldOne));
  expect(await monthValuesStaleSince()).toBeNull();
});

it('keeps month values stale when the zone changes again while they are rebuilt', async () => {
  await setMonthValuesStale();
  const first = (await monthValuesStaleSince()) as string;
  await new Promise((resolve) => setTimeout(resolve, 5));
  await setMonthValuesStale();
  const second = (await monthValuesStaleSince()) as string;
  expect(second > first).toBe(true);
  // The rebuild that started from the first change must not mark the second one done.
  expect(await finishRebuild(first)).toBe(false);
  expect(await monthValuesStaleSince()).toBe(second);
  expect(await finishRebuild(second)).toBe(true);
  expect(await monthValuesStaleSince()).toBeNull();
});

it('has the daily schedule rebuild stale month values as a job, never in place', async () => {
  await setMonthValuesStale();
  const before = system.executions().length;
  await system.scheduler.fire('daily');
  const [job] = system.executions().slice(before);
  expect(job?.input).toMatchObject({ rebuild: { since: expect.any(String) } });
  await job?.done;
  expect(job?.status).toBe('SUCCEEDED');
  expect(await monthValuesStaleSince()).toBeNull();
});
