import { afterAll, beforeAll, expect, it } from 'vitest';
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
  const inShanghai = await recalculate('2025-01', '2025-02');
  expect(inShanghai.map((row) => [row.month, row.kaCount])).toEqual([
    ['2025-01', 0],
    ['2025-02', 1],
  ]);
});
