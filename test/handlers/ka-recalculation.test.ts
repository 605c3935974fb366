import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf } from '../../lambdas/domain/month.js';
import { stateMachines } from '../../lambdas/system.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
  await put('/admin/config', { timezone: 'Asia/Shanghai', kaThreshold: 50, nearKaThreshold: 30 });
});
afterAll(() => system?.stop());

const put = (path: string, body: unknown) =>
  system.api(path, { method: 'PUT', body: JSON.stringify(body) });

async function send(events: Record<string, unknown>[]) {
  const response = await deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    { events },
  );
  expect(response.status).toBe(202);
}

async function recalculate(from: string, to: string) {
  const response = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from, to }),
  });
  expect(response.status).toBe(202);
  const { jobId } = (await response.json()) as { jobId: string };
  return waitForJob(system.api, jobId);
}

const months = async (from: string, to: string) =>
  (
    (await (await system.api(`/metrics/ka?from=${from}&to=${to}`)).json()) as {
      months: Record<string, unknown>[];
    }
  ).months;

const snapshot = (
  clusterId: string,
  accountId: string | undefined,
  nodes: number,
  reportedAt: string,
) => ({
  clusterId,
  ...(accountId ? { accountId } : {}),
  environment: 'production',
  nodes,
  reportedAt,
});

describe('KA recalculation through the API', () => {
  it('computes KA months in the reporting zone, latest snapshot winning, with movements', async () => {
    await send([
      // 2025-01 in Shanghai: alpha 60 (its 23:59 snapshot; the 00:30 one on Feb 1 belongs to Feb).
      snapshot('a1', 'alpha', 20, '2025-01-10T00:00:00Z'),
      snapshot('a1', 'alpha', 60, '2025-01-31T15:59:00Z'),
      snapshot('a1', 'alpha', 10, '2025-01-31T16:30:00Z'),
      snapshot('b1', 'beta', 35, '2025-01-20T00:00:00Z'),
      snapshot('u1', undefined, 7, '2025-01-20T00:00:00Z'),
      // 2025-02: beta becomes KA through two clusters; alpha drops (churned).
      snapshot('b1', 'beta', 30, '2025-02-10T00:00:00Z'),
      snapshot('b2', 'beta', 25, '2025-02-10T00:00:00Z'),
      // 2025-03: alpha is back (reactivated), beta retained.
      snapshot('a1', 'alpha', 55, '2025-03-05T00:00:00Z'),
      snapshot('b1', 'beta', 30, '2025-03-10T00:00:00Z'),
      snapshot('b2', 'beta', 25, '2025-03-10T00:00:00Z'),
    ]);
    const job = await recalculate('2025-01', '2025-03');
    expect(job.completedMonths).toEqual(['2025-01', '2025-02', '2025-03']);
    const rows = await months('2025-01', '2025-03');
    expect(
      rows.map((r) => [r.month, r.kaCount, r.new, r.reactivated, r.retained, r.churned]),
    ).toEqual([
      ['2025-01', 1, 1, 0, 0, 0],
      ['2025-02', 1, 1, 0, 0, 1],
      ['2025-03', 2, 0, 1, 1, 0],
    ]);
    expect(rows[0]).toMatchObject({ productionNodes: 95, nearKaCount: 1, unattributedNodes: 7 });
    expect(rows[1]).toMatchObject({ momMultiple: 1, productionNodes: 65, nearKaCount: 0 });
    expect(rows[2]).toMatchObject({ momMultiple: 2, yoyMultiple: null, ytdMultiple: null });

    const accounts = await (await system.api('/metrics/ka/2025-02/accounts')).json();
    expect(accounts).toEqual({
      month: '2025-02',
      accounts: [
        // SPEC §3, §10: nodes in M-1 beside those of M; no community, so no champion.
        {
          accountId: 'beta',
          name: null,
          productionNodes: 55,
          previousNodes: 35,
          status: 'new',
          communitySourced: false,
          champions: 0,
        },
        {
          accountId: 'alpha',
          name: null,
          productionNodes: 10,
          previousNodes: 60,
          status: 'churned',
          communitySourced: false,
          champions: 0,
        },
      ],
    });
  });

  it('applies a cluster mapping and account names at the next recalculation', async () => {
    await put('/admin/clusters/u1', { accountId: 'alpha' });
    await put('/admin/accounts/alpha', { name: 'Alpha Corp' });
    const before = await months('2025-01', '2025-01');
    expect(before[0]).toMatchObject({ unattributedNodes: 7 });
    await recalculate('2025-01', '2025-03');
    const after = await months('2025-01', '2025-01');
    expect(after[0]).toMatchObject({ unattributedNodes: 0, productionNodes: 102 });
    const accounts = (await (await system.api('/metrics/ka/2025-01/accounts')).json()) as {
      accounts: unknown[];
    };
    expect(accounts.accounts[0]).toEqual({
      accountId: 'alpha',
      name: 'Alpha Corp',
      productionNodes: 67,
      previousNodes: 0,
      status: 'new',
      communitySourced: false,
      champions: 0,
    });
    await put('/admin/clusters/u1', { accountId: null });
  });

  it('changes nothing but computedAt when recalculated twice', async () => {
    await recalculate('2025-01', '2025-03');
    const first = await months('2025-01', '2025-03');
    await recalculate('2025-01', '2025-03');
    const second = await months('2025-01', '2025-03');
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ computedAt: _, ...row }) => row);
    expect(strip(second)).toEqual(strip(first));
  });

  it('rejects bad months, reversed ranges and unknown jobs clearly', async () => {
    const post = (body: unknown) =>
      system.api('/admin/recalculate', { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ from: '2026-13', to: '2026-12' })).status).toBe(400);
    expect((await post({ from: '2026-05', to: '2026-01' })).status).toBe(400);
    expect((await system.api('/metrics/ka?from=2026-05&to=2026-01')).status).toBe(400);
    expect((await system.api('/metrics/ka/2026-13/accounts')).status).toBe(400);
    expect((await system.api('/metrics/ka/2019-01/accounts')).status).toBe(404);
    const unknown = await system.api('/admin/jobs/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty('error');
  });

  it('validates the configuration', async () => {
    expect((await put('/admin/config', { timezone: 'Mars/Olympus' })).status).toBe(400);
    expect((await put('/admin/config', { kaThreshold: -1 })).status).toBe(400);
    expect((await put('/admin/config', { reportRecipients: ['not-an-address'] })).status).toBe(400);
    const config = await (await system.api('/admin/config')).json();
    expect(config).toMatchObject({ timezone: 'Asia/Shanghai', kaThreshold: 50, yearlyTarget: 8 });
  });

  it('recomputes touched months on the daily schedule, as a job split into runs when they are many', async () => {
    await send([snapshot('c1', 'gamma', 80, '2025-02-15T00:00:00Z')]);
    const before = system.executions().length;
    await system.scheduler.fire('daily');
    // From the touched month through the current one: more than one run, so a job of the state
    // machine, listed newest first.
    const { jobs } = (await (await system.api('/admin/jobs?limit=1')).json()) as {
      jobs: { jobId: string; months: string[] }[];
    };
    const [job] = jobs;
    // The current month in the reporting zone (Shanghai is already in the next month from 16:00 UTC
    // on a month's last day).
    const current = monthOf(new Date(), 'Asia/Shanghai');
    expect(job?.months[0]).toBe('2025-02');
    expect(job?.months.at(-1)).toBe(current);
    await waitForJob(system.api, job?.jobId ?? '');
    const rows = await months('2025-02', '2025-02');
    expect(rows[0]).toMatchObject({ kaCount: 2 });
    // Each run is one task of the execution, `monthsPerRun` consecutive months at most, in order.
    const { monthsPerRun } = stateMachines.recalculation;
    const execution = system.executions()[before];
    expect(execution?.name).toBe(job?.jobId);
    const runs = execution?.tasks
      .map((task) => (task.input as { runs?: string[][] }).runs?.[0])
      .filter((run) => run !== undefined);
    expect(runs?.flat()).toEqual(job?.months);
    expect(runs?.every((run) => run.length <= monthsPerRun)).toBe(true);
    expect(runs?.length).toBe(Math.ceil((job?.months.length ?? 0) / monthsPerRun));
    // Fired again the same day (EventBridge delivers at least once), it queues nothing more.
    await send([snapshot('c1', 'gamma', 81, '2025-03-15T00:00:00Z')]);
    await Promise.all([system.scheduler.fire('daily'), system.scheduler.fire('daily')]);
    expect(system.executions()).toHaveLength(before + 1);
    const again = (await (await system.api('/admin/jobs')).json()) as { jobs: { jobId: string }[] };
    expect(again.jobs.filter((j) => j.jobId === job?.jobId)).toHaveLength(1);
  });

  it('attributes a month to the account a later month named, when only that month is recomputed', async () => {
    const kaOf = async (month: string) =>
      (
        (await (await system.api(`/metrics/ka/${month}/accounts`)).json()) as {
          accounts: { accountId: string }[];
        }
      ).accounts.map((a) => a.accountId);
    await send([snapshot('x1', 'delta', 70, '2025-05-10T00:00:00Z')]);
    await recalculate('2025-05', '2025-05');
    expect(await kaOf('2025-05')).toEqual(['delta']);
    // The cluster is renamed in July; a late June snapshot still names the old account.
    await send([snapshot('x1', 'epsilon', 70, '2025-07-10T00:00:00Z')]);
    await send([snapshot('x1', 'delta', 70, '2025-06-10T00:00:00Z')]);
    await recalculate('2025-05', '2025-05');
    expect(await kaOf('2025-05')).toEqual(['epsilon']);
    await recalculate('2025-06', '2025-06');
    expect(await kaOf('2025-06')).toEqual(['epsilon']);
  });
});
