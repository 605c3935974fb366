import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultKaRules,
  type ExpectedMonth,
  eventIdOf,
  expectedKaMonths,
  type KaRules,
} from '../support/ka-expectations.js';
import { telemetryDeliveries, telemetryScenario } from '../support/telemetry-scenario.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { postWebhook } from '../support/webhook-client.js';

const SEED = 20250630;
const TIMEZONE = 'Asia/Shanghai';
const PARALLEL_DELIVERIES = 4;
const JOB_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 300_000;

const scenario = telemetryScenario({ seed: SEED, timezone: TIMEZONE });
const deliveries = telemetryDeliveries(scenario.events, SEED);
const distinctEvents = new Set(scenario.events.map(eventIdOf)).size;
const from = scenario.months[0] ?? '';
const to = scenario.months.at(-1) ?? '';

interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

interface KaRow extends Omit<ExpectedMonth, 'accounts'> {
  championCoverage: number | null;
  computedAt: string;
}

/** Runs `work` over `items`, at most `width` at a time, keeping the results in order. */
async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** A row as `GET /metrics/ka` should return it, but championCoverage; ratios to 9 decimals. */
function expectedRow(want: ExpectedMonth) {
  const close = (x: number | null) => (x === null ? null : expect.closeTo(x, 9));
  return {
    month: want.month,
    kaCount: want.kaCount,
    new: want.new,
    reactivated: want.reactivated,
    retained: want.retained,
    churned: want.churned,
    productionNodes: want.productionNodes,
    nearKaCount: want.nearKaCount,
    unattributedNodes: want.unattributedNodes,
    momMultiple: close(want.momMultiple),
    yoyMultiple: close(want.yoyMultiple),
    ytdMultiple: close(want.ytdMultiple),
    targetKa: close(want.targetKa),
    onTrack: want.onTrack,
    // SPEC §10: (new + reactivated) / churned, null when none churned; no community, so no
    // community-sourced KA.
    kaQuickRatio: want.churned === 0 ? null : close((want.new + want.reactivated) / want.churned),
    communitySourcedNew: 0,
    computedAt: expect.any(String),
  };
}

describe('the telemetry scenario, end to end', () => {
  let system: TestSystem;
  let firstRows: KaRow[] = [];

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  const post = (body: unknown, id?: string) =>
    postWebhook(
      system.apiUrl,
      '/webhooks/telemetry',
      system.secrets.telemetrySecret,
      body,
      id === undefined ? {} : { id },
    );

  const putConfig = async (config: Record<string, unknown>) => {
    const response = await system.api('/admin/config', {
      method: 'PUT',
      body: JSON.stringify(config),
    });
    expect(response.ok, await response.clone().text()).toBe(true);
  };

  async function recalculate(): Promise<void> {
    const response = await system.api('/admin/recalculate', {
      method: 'POST',
      body: JSON.stringify({ from, to }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const { jobId } = (await response.json()) as { jobId: string };
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      const job = (await (await system.api(`/admin/jobs/${jobId}`)).json()) as {
        status: string;
        error?: string;
      };
      if (job.status === 'succeeded') return;
      if (job.status === 'failed') throw new Error(`job ${jobId} failed: ${job.error}`);
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}: too slow`);
      await sleep(250);
    }
  }

  async function kaRows(): Promise<KaRow[]> {
    const response = await system.api(`/metrics/ka?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { months: KaRow[] }).months;
  }

  function expectRows(rows: readonly KaRow[], rules: KaRules) {
    const expected = expectedKaMonths(scenario.events, scenario.months, rules);
    expect(rows.map((row) => row.month)).toEqual(scenario.months);
    rows.forEach((row, i) => {
      const want = expected[i];
      const { championCoverage: _, ...rest } = row;
      if (want) expect.soft(rest, row.month).toEqual(expectedRow(want));
    });
    // The scenario has no community activity, so no KA has a champion: the share is 0 of the
    // month's KAs, and null only in a month without KA (SPEC §1).
    expect
      .soft(
        rows.map((row) => [row.month, row.championCoverage]),
        'championCoverage',
      )
      .toEqual(expected.map((m) => [m.month, m.kaCount === 0 ? null : 0]));
  }

  it(
    'accepts every delivery and counts each event once, however often it arrives',
    async () => {
      await putConfig({ timezone: TIMEZONE });
      const originals = deliveries.filter((d) => !d.redelivery);
      const responses = await inParallel(originals, PARALLEL_DELIVERIES, (d) =>
        post({ events: d.items }, d.id),
      );
      responses.forEach(({ status, json }, k) => {
        const result = json as IngestResult;
        expect(status, JSON.stringify(json)).toBe(202);
        expect(result.rejected).toEqual([]);
        expect(result.accepted + result.duplicates).toBe(originals[k]?.items.length);
      });
      const results = responses.map((r) => r.json as IngestResult);
      const sent = originals.reduce((sum, d) => sum + d.items.length, 0);
      expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(distinctEvents);
      expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(sent - distinctEvents);

      // A whole retry (same webhook-id) after everything arrived: nothing new, all duplicates.
      for (const retry of deliveries.filter((d) => d.redelivery)) {
        const { status, json } = await post({ events: retry.items }, retry.id);
        expect(status).toBe(202);
        expect(json).toEqual({ accepted: 0, duplicates: retry.items.length, rejected: [] });
      }
    },
    STEP_TIMEOUT_MS,
  );

  it('recalculates the whole window in a job', () => recalculate(), STEP_TIMEOUT_MS);

  it('reports every month as SPEC §1 computes it from the events', async () => {
    firstRows = await kaRows();
    expectRows(firstRows, defaultKaRules(TIMEZONE));
  });

  it("lists each month's KAs, churned accounts and near-KAs, each once with its status", async () => {
    const expected = expectedKaMonths(scenario.events, scenario.months, defaultKaRules(TIMEZONE));
    for (const want of expected) {
      const response = await system.api(`/metrics/ka/${want.month}/accounts`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        month: string;
        accounts: { accountId: string; productionNodes: number; status: string }[];
      };
      const got = body.accounts
        .map(({ accountId, productionNodes, status }) => ({ accountId, productionNodes, status }))
        .sort((a, b) => a.accountId.localeCompare(b.accountId));
      expect.soft(body.month).toBe(want.month);
      expect.soft(got, want.month).toEqual(want.accounts);
    }
  });

  it(
    'changes nothing but computedAt when the same facts are recalculated',
    async () => {
      await recalculate();
      const again = await kaRows();
      const withoutTime = (rows: KaRow[]) => rows.map(({ computedAt: _, ...row }) => row);
      expect(withoutTime(again)).toEqual(withoutTime(firstRows));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'recomputes targetKa and onTrack once a new yearly target is recalculated',
    async () => {
      // 8× a year is never on track in this scenario; 1.1× is in some months and not in others.
      await putConfig({ yearlyTarget: 1.1 });
      await recalculate();
      const rules = { ...defaultKaRules(TIMEZONE), yearlyTarget: 1.1 };
      const onTrack = expectedKaMonths(scenario.events, scenario.months, rules).map(
        (m) => m.onTrack,
      );
      expect(onTrack).toContain(true);
      expect(onTrack).toContain(false);
      expectRows(await kaRows(), rules);
    },
    STEP_TIMEOUT_MS,
  );

  it('stores the valid items of a mixed batch and lists the invalid ones by index', async () => {
    const now = Date.now();
    const at = (minutesFromNow: number) => new Date(now + minutesFromNow * 60_000).toISOString();
    const events = [
      {
        clusterId: 'mixed.c1',
        accountId: 'mixed',
        environment: 'production',
        nodes: 12,
        reportedAt: at(-10),
      },
      { clusterId: 'mixed.c2', environment: 'production', nodes: -1, reportedAt: at(-10) },
      {
        clusterId: 'mixed.c3',
        environment: 'staging',
        components: { tidb: 2, tikv: 3 },
        reportedAt: at(-9),
      },
      { clusterId: 'mixed.c4', environment: 'production', nodes: 5, reportedAt: at(60) },
      { environment: 'production', nodes: 5, reportedAt: at(-8) },
      { clusterId: 'mixed.c1', environment: 'production', nodes: 2.5, reportedAt: at(-7) },
      { clusterId: 'mixed.c1', environment: 'production', nodes: 14, reportedAt: at(-5) },
    ];
    const invalid = [1, 3, 4, 5];
    const first = await post({ events });
    expect(first.status).toBe(202);
    const result = first.json as IngestResult;
    expect(result).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(result.rejected.map((r) => r.index).sort((a, b) => a - b)).toEqual(invalid);
    for (const r of result.rejected) expect(r.error).toEqual(expect.any(String));

    // The same items in another delivery: the valid ones are duplicates now, never counted twice.
    const second = await post({ events });
    expect(second.status).toBe(202);
    expect(second.json).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(
      (second.json as IngestResult).rejected.map((r) => r.index).sort((a, b) => a - b),
    ).toEqual(invalid);
  });
});
