/**
 * The small, seeded telemetry history every fault test ingests, and the checks that a faulted run
 * ended where a clean run ends. "A clean run" is the oracle of `ka-expectations.ts`, computed from
 * the events alone; the end-to-end scenario test proves a clean run of the product equals it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBDocumentClient, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { parseMonth } from '../../../lambdas/domain/month.js';
import { tableName } from '../../../lambdas/store/client.js';
import { keys } from '../../../lambdas/store/keys.js';
import { localClient } from '../../../local/dynamodb.js';
import {
  defaultKaRules,
  eventIdOf,
  expectedKaMonths,
  monthInZone,
  nodesOf,
} from '../../support/ka-expectations.js';
import {
  seededRandom,
  type TelemetryEvent,
  telemetryScenario,
} from '../../support/telemetry-scenario.js';
import type { TestSystem } from '../../support/test-system.js';
import { postWebhook, type WebhookResponse } from '../../support/webhook-client.js';

/** 434 events, 6 accounts over 16 months, with churn, reactivation, moves and unattributed nodes. */
export const scenario = telemetryScenario({
  seed: 11,
  timezone: 'UTC',
  from: '2024-01',
  to: '2025-04',
  accounts: 6,
});
export const from = scenario.months[0] ?? '';
export const to = scenario.months.at(-1) ?? '';

export interface Delivery {
  readonly id: string;
  readonly events: readonly TelemetryEvent[];
}

/** The events shuffled into deliveries of `size`, each with its own webhook-id. */
export function deliveriesOf(events: readonly TelemetryEvent[], size: number): Delivery[] {
  const shuffled = seededRandom(size).shuffle(events);
  const prefix = `msg_${randomUUID().slice(0, 8)}`;
  const deliveries: Delivery[] = [];
  for (let i = 0; i < shuffled.length; i += size) {
    deliveries.push({ id: `${prefix}_${i / size}`, events: shuffled.slice(i, i + size) });
  }
  return deliveries;
}

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly unknown[];
}

export const post = (system: TestSystem, delivery: Delivery): Promise<WebhookResponse> =>
  postWebhook(
    system.apiUrl,
    '/webhooks/telemetry',
    system.secrets.telemetrySecret,
    { events: delivery.events },
    { id: delivery.id },
  );

/** Every answer each delivery got, in order; the last one of each is a 2xx. */
export type DeliveryLog = Map<Delivery, WebhookResponse[]>;

/**
 * Delivers like a Standard Webhooks sender: `width` at a time, and every delivery answered with
 * anything but a 2xx is sent again, same webhook-id, until it is accepted.
 */
export async function deliverUntilAccepted(
  system: TestSystem,
  deliveries: readonly Delivery[],
  options: {
    width?: number;
    maxRounds?: number;
    /** Checked before each send: once true, the round sends no more (the sender backs off). */
    holdOff?: () => boolean;
    betweenRounds?: () => Promise<void>;
  } = {},
): Promise<DeliveryLog> {
  const { width = 2, maxRounds = 20, holdOff = () => false } = options;
  const log: DeliveryLog = new Map(deliveries.map((d) => [d, []]));
  let pending = [...deliveries];
  for (let round = 0; pending.length > 0; round++) {
    if (round === maxRounds) throw new Error(`${pending.length} deliveries never accepted`);
    if (round > 0) await options.betweenRounds?.();
    const queue = [...pending];
    const worker = async () => {
      for (let d = queue.shift(); d && !holdOff(); d = queue.shift()) {
        log.get(d)?.push(await post(system, d));
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    pending = pending.filter((d) => (log.get(d)?.at(-1)?.status ?? 500) >= 300);
  }
  return log;
}

/**
 * What a sender may be told: 202, or a 5xx that asks it to retry — never a 4xx for a valid
 * delivery. Each 202 accounts for every item once, and no event is counted accepted twice.
 */
export function expectOnlyAcceptedOrRetry(log: DeliveryLog): { accepted: number; failed: number } {
  let accepted = 0;
  let failed = 0;
  for (const [delivery, answers] of log) {
    for (const { status, json } of answers) {
      if (status === 202) {
        const result = json as IngestResult;
        expect(result.rejected).toEqual([]);
        expect(result.accepted + result.duplicates).toBe(delivery.events.length);
        accepted += result.accepted;
      } else {
        expect(status, JSON.stringify(json)).toBeGreaterThanOrEqual(500);
        failed++;
      }
    }
  }
  expect(accepted).toBeLessThanOrEqual(distinctEventIds().size);
  return { accepted, failed };
}

export const distinctEventIds = (events = scenario.events) => new Set(events.map(eventIdOf));

/** Reads the table directly, beside the stores and whatever faults they are given. */
export function tableReader(system: TestSystem) {
  const client = DynamoDBDocumentClient.from(localClient(system.dynamoDbEndpoint));
  const TableName = tableName();
  return {
    /** Stored snapshot facts by eventId. */
    async facts(): Promise<Map<string, Record<string, unknown>>> {
      const facts = new Map<string, Record<string, unknown>>();
      const input = {
        TableName,
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': keys.snapshotPartitionPrefix },
      };
      for await (const page of paginateScan({ client }, input)) {
        for (const item of page.Items ?? []) facts.set(String(item.eventId), item);
      }
      return facts;
    },
    /** Cluster month values as `month|clusterId` → nodes, over every shard. */
    async monthValues(): Promise<Map<string, number>> {
      const values = new Map<string, number>();
      for (const month of scenario.months) {
        for (const pk of keys.clusterMonthValuePartitions(parseMonth(month))) {
          const input = {
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
          };
          for await (const page of paginateQuery({ client }, input)) {
            for (const item of page.Items ?? []) {
              values.set(`${month}|${String(item.sk)}`, item.nodes as number);
            }
          }
        }
      }
      return values;
    },
    close: () => client.destroy(),
  };
}

/** SPEC §1 month values: each cluster's latest snapshot of each month. */
function expectedMonthValues(events: readonly TelemetryEvent[]): Map<string, number> {
  const latest = new Map<string, TelemetryEvent>();
  for (const event of events) {
    const key = `${monthInZone(event.reportedAt, scenario.timezone)}|${event.clusterId}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(event.reportedAt) > Date.parse(seen.reportedAt)) latest.set(key, event);
  }
  return new Map([...latest].map(([key, event]) => [key, nodesOf(event)]));
}

/** Every event stored exactly as sent, and folded into the month values a clean run has. */
export async function expectFactsOfCleanRun(
  system: TestSystem,
  events = scenario.events,
): Promise<void> {
  const reader = tableReader(system);
  try {
    const facts = await reader.facts();
    expect(new Set(facts.keys())).toEqual(distinctEventIds(events));
    for (const event of events) {
      expect.soft(facts.get(eventIdOf(event))).toMatchObject({ nodes: nodesOf(event) });
    }
    expect(await reader.monthValues()).toEqual(expectedMonthValues(events));
  } finally {
    reader.close();
  }
}

/** Queues a recalculation and waits for it to end; the job as last seen. */
export async function recalculate(
  system: TestSystem,
  range: { from: string; to: string } = { from, to },
): Promise<{ jobId: string; status: string }> {
  const response = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify(range),
  });
  expect(response.status, await response.clone().text()).toBe(202);
  const { jobId } = (await response.json()) as { jobId: string };
  return waitForEnd(system, jobId);
}

export async function waitForEnd(system: TestSystem, jobId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await system.api(`/admin/jobs/${jobId}`)).json()) as {
      jobId: string;
      status: string;
    };
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await sleep(100);
  }
}

/** `GET /metrics/ka` and every month's account list equal what a clean run computes. */
export async function expectMetricsOfCleanRun(
  system: TestSystem,
  events = scenario.events,
): Promise<void> {
  const expected = expectedKaMonths(events, scenario.months, defaultKaRules('UTC'));
  const response = await system.api(`/metrics/ka?from=${from}&to=${to}`);
  const rows = ((await response.json()) as { months: Record<string, unknown>[] }).months;
  const close = (x: number | null) => (x === null ? null : expect.closeTo(x, 9));
  expect(rows.map((row) => row.month)).toEqual(scenario.months);
  for (const [i, want] of expected.entries()) {
    const { accounts, ...row } = want;
    expect.soft(rows[i], want.month).toMatchObject({
      ...row,
      momMultiple: close(row.momMultiple),
      yoyMultiple: close(row.yoyMultiple),
      ytdMultiple: close(row.ytdMultiple),
      targetKa: close(row.targetKa),
    });
    const list = (await (await system.api(`/metrics/ka/${want.month}/accounts`)).json()) as {
      accounts: { accountId: string; productionNodes: number; status: string }[];
    };
    const got = list.accounts
      .map(({ accountId, productionNodes, status }) => ({ accountId, productionNodes, status }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId));
    expect.soft(got, `${want.month} accounts`).toEqual(accounts);
  }
}
