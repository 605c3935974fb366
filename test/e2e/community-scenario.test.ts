import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  alertsResponse,
  bridgeResponse,
  cohortsResponse,
  forecastResponse,
} from '../../lambdas/handlers/api/analytics-schemas.js';
import * as spec from '../security/support/spec-schemas.js';
import {
  type CommunityActivity,
  type CommunityFacts,
  DEFAULT_TIERS,
  type EvangelistRow,
  expectedChampionCoverage,
  expectedEvangelists,
} from '../support/community-expectations.js';
import {
  communityDeliveries,
  communityScenario,
  PROGRAM_2024,
} from '../support/community-scenario.js';
import { flywheelExpectations } from '../support/flywheel-expectations.js';
import { defaultKaRules, expectedKaMonths } from '../support/ka-expectations.js';
import { waitForJob } from '../support/signed-delivery.js';
import { telemetryDeliveries } from '../support/telemetry-scenario.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { type Delivery, postWebhook } from '../support/webhook-client.js';

const SEED = 20240229;
const TIMEZONE = 'Asia/Shanghai';
const STEP_TIMEOUT_MS = 120_000;

const scenario = communityScenario(SEED, TIMEZONE);
const phases = communityDeliveries(scenario, SEED);
const facts: CommunityFacts = {
  timezone: TIMEZONE,
  // Arrival order within a phase does not matter: copies differ only in status, never both ways.
  deliveries: [...scenario.originals, ...scenario.lateReviews, ...scenario.staleCopies],
  merges: scenario.merges,
  reviews: scenario.reviews,
  programs: scenario.programs,
};
const from = scenario.months[0] ?? '';
const to = scenario.months.at(-1) ?? '';
/** Each year at a mid-year month and at December (2025's December is after the window). */
const QUERIES: [number, string][] = [
  [2023, '2023-06'],
  [2023, '2023-12'],
  [2024, '2024-01'],
  [2024, '2024-07'],
  [2024, '2024-12'],
  [2025, '2025-03'],
  [2025, '2025-06'],
  [2025, '2025-12'],
];

interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

interface ServerRow extends EvangelistRow {
  memberId: string;
}

/** A row as compared: counts over every kind either side names, a missing kind being 0. */
function comparable(row: EvangelistRow, kinds: readonly string[]) {
  const counts = Object.fromEntries(kinds.map((kind) => [kind, row.counts[kind] ?? 0]));
  const { identities, name, accountId, tiers, progress } = row;
  return { identities, name, accountId, counts, tiers, progress };
}

describe('the community scenario, end to end', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  const send = async (path: string, json: unknown, status = 200) => {
    const [method, route] = path.split(' ') as [string, string];
    const response = await system.api(route, { method, body: JSON.stringify(json) });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(status);
    return response.json() as Promise<unknown>;
  };

  const post = (kind: 'community' | 'telemetry', d: Delivery<unknown>) =>
    postWebhook(
      system.apiUrl,
      `/webhooks/${kind}`,
      kind === 'community' ? system.secrets.communitySecret : system.secrets.telemetrySecret,
      kind === 'community' ? { activities: d.items } : { events: d.items },
      { id: d.id },
    );

  it('takes the reporting zone and the 2024 program', async () => {
    await send('PUT /admin/config', { timezone: TIMEZONE });
    expect(await send('PUT /admin/programs/2024', { tiers: PROGRAM_2024 })).toEqual({
      year: 2024,
      tiers: PROGRAM_2024,
      from: 2024,
    });
  });

  it('serves the program in force: its own, the nearest earlier one, or the default', async () => {
    const program = async (year: number) =>
      (await system.api(`/admin/programs/${year}`)).json() as Promise<unknown>;
    expect(await program(2023)).toEqual({ year: 2023, tiers: DEFAULT_TIERS, from: null });
    expect(await program(2024)).toEqual({ year: 2024, tiers: PROGRAM_2024, from: 2024 });
    expect(await program(2025)).toEqual({ year: 2025, tiers: PROGRAM_2024, from: 2024 });
  });

  it(
    'stores each activity once, however often and however concurrently it arrives',
    async () => {
      for (const d of telemetryDeliveries(scenario.telemetry, SEED)) {
        const { status, json } = await post('telemetry', d);
        expect(status).toBe(202);
        expect((json as IngestResult).rejected).toEqual([]);
      }
      const results: { delivery: Delivery<CommunityActivity>; result: IngestResult }[] = [];
      for (const waves of phases) {
        for (const wave of waves) {
          // The batches of a wave go at once: their activities join the same people's identities.
          const responses = await Promise.all(wave.map((d) => post('community', d)));
          responses.forEach(({ status, json }, k) => {
            const delivery = wave[k] as Delivery<CommunityActivity>;
            expect(status, JSON.stringify(json)).toBe(202);
            const result = json as IngestResult;
            expect(result.rejected).toEqual([]);
            expect(result.accepted + result.duplicates).toBe(delivery.items.length);
            if (delivery.redelivery) expect(result.accepted).toBe(0);
            results.push({ delivery, result });
          });
        }
      }
      const distinct = new Set(scenario.originals.map((a) => a.activityId)).size;
      const sent = results.reduce((sum, r) => sum + r.delivery.items.length, 0);
      expect(results.reduce((sum, r) => sum + r.result.accepted, 0)).toBe(distinct);
      expect(results.reduce((sum, r) => sum + r.result.duplicates, 0)).toBe(sent - distinct);
    },
    STEP_TIMEOUT_MS,
  );

  it('takes the admins’ merges and reviews', async () => {
    for (const identities of scenario.merges) {
      await send('POST /admin/members/merge', { identities });
    }
    for (const { activityId, status } of scenario.reviews) {
      const stored = await send(`PATCH /admin/activities/${activityId}`, { status });
      expect(stored).toMatchObject({ activityId, status });
    }
  });

  it(
    'recalculates the window in a job',
    async () => {
      const { jobId } = (await send('POST /admin/recalculate', { from, to }, 202)) as {
        jobId: string;
      };
      await waitForJob((path) => system.api(path), jobId, STEP_TIMEOUT_MS);
    },
    STEP_TIMEOUT_MS,
  );

  it.each(QUERIES)('lists exactly the evangelists of %i as of %s', async (year, asOf) => {
    const response = await system.api(`/evangelists?year=${year}&asOf=${asOf}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { year: number; asOf: string; members: ServerRow[] };
    expect({ year: body.year, asOf: body.asOf }).toEqual({ year, asOf });
    expect(new Set(body.members.map((m) => m.memberId)).size).toBe(body.members.length);
    // memberIds are the server's choice: members are matched by their set of identities.
    const key = (row: EvangelistRow) => row.identities.join(' ');
    const got = new Map(body.members.map((row) => [key(row), row]));
    const want = new Map(expectedEvangelists(facts, year, asOf).map((row) => [key(row), row]));
    expect(want.size).toBeGreaterThan(0);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [identities, expected] of want) {
      const actual = got.get(identities);
      if (actual === undefined) continue;
      const kinds = [...new Set([...Object.keys(actual.counts), ...Object.keys(expected.counts)])];
      expect.soft(comparable(actual, kinds), identities).toEqual(comparable(expected, kinds));
    }
  });

  it('reports champion coverage of every month as the facts give it', async () => {
    const response = await system.api(`/metrics/ka?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const { months } = (await response.json()) as {
      months: { month: string; kaCount: number; championCoverage: number | null }[];
    };
    const ka = expectedKaMonths(scenario.telemetry, scenario.months, defaultKaRules(TIMEZONE));
    const kaByMonth = new Map(
      ka.map((m) => [
        m.month,
        new Set(
          m.accounts.filter((a) => !['churned', 'near'].includes(a.status)).map((a) => a.accountId),
        ),
      ]),
    );
    const coverage = expectedChampionCoverage(facts, kaByMonth, scenario.months);
    expect(months.map((row) => row.month)).toEqual(scenario.months);
    for (const row of months) {
      expect.soft(row.kaCount, row.month).toBe(kaByMonth.get(row.month)?.size);
      const want = coverage.get(row.month);
      if (want === null || want === undefined)
        expect.soft(row.championCoverage, row.month).toBeNull();
      else expect.soft(row.championCoverage, row.month).toBeCloseTo(want, 9);
    }
  });

  describe('growth analytics (SPEC §10), against the oracle of test/support', () => {
    const flywheel = flywheelExpectations({
      events: scenario.telemetry,
      facts,
      months: scenario.months,
      rules: defaultKaRules(TIMEZONE),
    });

    /** GETs a route and holds its answer to the product's schema and to SPEC's (independent). */
    async function read<S extends z.ZodType>(
      path: string,
      route: keyof typeof spec.answers,
      schema: S,
    ) {
      const response = await system.api(path);
      expect(response.status, path).toBe(200);
      const body = await response.json();
      expect(spec.answers[route].safeParse(body).error?.issues, path).toBeUndefined();
      return schema.parse(body) as z.output<S>;
    }

    it('bridges every month’s KA nodes as SPEC §10 adds them up', async () => {
      const { months } = await read(
        `/metrics/nodes/bridge?from=${from}&to=${to}`,
        'GET /metrics/nodes/bridge',
        bridgeResponse,
      );
      expect(months.map((m) => m.month)).toEqual(scenario.months);
      for (const got of months) expect.soft(got, got.month).toEqual(flywheel.bridge(got.month));
      // The scenario has churn, reactivation and growth: every term is exercised somewhere.
      for (const term of ['new', 'reactivation', 'expansion', 'contraction', 'churn'] as const) {
        expect(
          months.some((m) => m[term] > 0),
          term,
        ).toBe(true);
      }
    });

    it('gives each month its KA quick ratio and community-sourced new KAs', async () => {
      const response = await system.api(`/metrics/ka?from=${from}&to=${to}`);
      const { months } = (await response.json()) as {
        months: { month: string; kaQuickRatio: number | null; communitySourcedNew: number }[];
      };
      let sourced = 0;
      for (const row of months) {
        const want = flywheel.kaQuickRatio(row.month);
        if (want === null) expect.soft(row.kaQuickRatio, row.month).toBeNull();
        else expect.soft(row.kaQuickRatio, row.month).toBeCloseTo(want, 12);
        const news = [...flywheel.kaOf(row.month)].filter((a) =>
          flywheel.communitySourced(row.month, a),
        );
        expect.soft(row.communitySourcedNew, row.month).toBe(news.length);
        sourced += news.length;
      }
      expect(sourced).toBeGreaterThan(0);
      expect(months.some((row) => row.kaQuickRatio !== null)).toBe(true);
    });

    it('lists previousNodes, communitySourced and champions on every account of every month', async () => {
      let champions = 0;
      for (const month of scenario.months) {
        const body = (await (await system.api(`/metrics/ka/${month}/accounts`)).json()) as {
          accounts: {
            accountId: string;
            previousNodes: number;
            communitySourced: boolean;
            champions: number;
          }[];
        };
        for (const {
          accountId,
          previousNodes,
          communitySourced,
          champions: count,
        } of body.accounts) {
          expect
            .soft({ previousNodes, communitySourced, champions: count }, `${month} ${accountId}`)
            .toEqual(flywheel.listFigures(month, accountId));
          champions += count;
        }
      }
      expect(champions).toBeGreaterThan(0);
    });

    it('raises champion-loss alerts exactly where SPEC §10 says, with each reason', async () => {
      const reasons = new Set<string>();
      for (const month of scenario.months) {
        const body = await read(`/alerts?month=${month}`, 'GET /alerts', alertsResponse);
        expect(body.month).toBe(month);
        const got = body.alerts.map(({ kind, accountId, members }) => ({
          kind,
          accountId,
          members: members.map(({ memberId, reason }) => ({ memberId, reason })),
        }));
        expect.soft(got, month).toEqual(flywheel.alerts(month));
        for (const alert of got) for (const member of alert.members) reasons.add(member.reason);
      }
      // The first month's M-1 was never computed: it has none, whatever the facts.
      expect(flywheel.alerts(from)).toEqual([]);
      expect(reasons.size, [...reasons].join()).toBeGreaterThan(0);
    });

    it.each([to, '2024-06', '2023-12'])('groups accounts into cohorts as of %s', async (asOf) => {
      const body = await read(
        `/metrics/cohorts?asOf=${asOf}`,
        'GET /metrics/cohorts',
        cohortsResponse,
      );
      expect(body.asOf).toBe(asOf);
      const want = flywheel.cohorts(asOf);
      expect(body.cohorts.map((c) => c.cohort)).toEqual(want.map((c) => c.cohort));
      body.cohorts.forEach((cohort, i) => {
        const expected = want[i];
        expect.soft(cohort.accounts).toBe(expected?.accounts);
        expect.soft(cohort.baseNodes).toBe(expected?.baseNodes);
        cohort.months.forEach((point, k) => {
          const { nrr, grr, ...rest } = expected?.months[k] ?? { nrr: null, grr: null };
          expect.soft(point, `${cohort.cohort} ${point.month}`).toMatchObject(rest);
          expect.soft(point.nrr ?? 0).toBeCloseTo(nrr ?? 0, 12);
          expect.soft(point.grr ?? 0).toBeCloseTo(grr ?? 0, 12);
        });
      });
    });

    it('forecasts December: the computed one for a past year, an ordered range for this one', async () => {
      const past = await read(
        '/metrics/forecast?year=2024',
        'GET /metrics/forecast',
        forecastResponse,
      );
      const december = flywheel.kaOf('2024-12').size;
      expect(past).toMatchObject({
        year: 2024,
        asOf: '2024-12',
        decemberKa: { expected: december, low: december, high: december },
        requiredMonthlyMultiple: null,
      });
      const current = await read(
        '/metrics/forecast?year=2025',
        'GET /metrics/forecast',
        forecastResponse,
      );
      expect(current.asOf).toBe('2025-06');
      expect(current.targetKa).toBe(8 * december);
      const ka = flywheel.kaOf('2025-06').size;
      expect(current.requiredMonthlyMultiple).toBeCloseTo(((8 * december) / ka) ** (1 / 6), 12);
      expect((await system.api('/metrics/forecast?year=2026')).status).toBe(404);
      expect((await system.api('/metrics/forecast?year=26')).status).toBe(400);
      expect((await system.api('/metrics/forecast')).status).toBe(400);
    });

    it('answers malformed months with 400 and months never computed with 404', async () => {
      for (const path of [
        '/alerts?month=2025-13',
        '/metrics/cohorts?asOf=x',
        '/metrics/nodes/bridge?from=2025-06&to=2025-01',
      ]) {
        expect((await system.api(path)).status, path).toBe(400);
      }
      for (const path of ['/alerts?month=2019-01', '/metrics/cohorts?asOf=2019-01']) {
        expect((await system.api(path)).status, path).toBe(404);
      }
      const none = await read(
        '/metrics/nodes/bridge?from=2019-01&to=2019-12',
        'GET /metrics/nodes/bridge',
        bridgeResponse,
      );
      expect(none.months).toEqual([]);
    });
  });
});
