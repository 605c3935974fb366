import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestSystem } from '../support/test-system.js';
import { injectAboveSdk, restoreClient, throttleOnTheWire } from './support/faulty-client.js';
import {
  deliveriesOf,
  deliverUntilAccepted,
  distinctEventIds,
  expectFactsOfCleanRun,
  expectMetricsOfCleanRun,
  expectOnlyAcceptedOrRetry,
  recalculate,
  scenario,
} from './support/scenario.js';
import { startFaultSystem, useFreshTables } from './support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startFaultSystem();
});
afterAll(() => system?.stop());
beforeEach(() => useFreshTables(system));
afterEach(() => restoreClient());

const throttled = (n: number) =>
  n % 2 === 0
    ? new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} })
    : new ThrottlingException({ message: 'injected', $metadata: {} });

describe('DynamoDB throttling', () => {
  it('is absorbed by the SDK retries when short: every delivery accepted at once, each event once', async () => {
    const order = new Map<string, number>();
    let injected = 0;
    throttleOnTheWire(({ invocation, attempt }) => {
      if (!order.has(invocation)) order.set(invocation, order.size);
      const k = order.get(invocation) ?? 0;
      // Some calls throttled once, some twice: well within the six attempts `db()` allows.
      const error =
        k % 80 === 3 && attempt === 1
          ? 'ProvisionedThroughputExceededException'
          : k % 160 === 7 && attempt <= 2
            ? 'ThrottlingException'
            : undefined;
      if (error) injected++;
      return error;
    });
    const log = await deliverUntilAccepted(system, deliveriesOf(scenario.events, 145), {
      width: 3,
    });
    expect(injected).toBeGreaterThan(10);
    for (const answers of log.values()) expect(answers.map((a) => a.status)).toEqual([202]);
    expect(expectOnlyAcceptedOrRetry(log)).toEqual({
      accepted: distinctEventIds().size,
      failed: 0,
    });
    await expectFactsOfCleanRun(system);
    restoreClient();
    expect(await recalculate(system)).toMatchObject({ status: 'succeeded' });
    await expectMetricsOfCleanRun(system);
  });

  it('makes the sender retry (5xx, never 2xx) when it outlasts the retries; redelivery completes', async () => {
    let writes = 0;
    let budget = 24;
    injectAboveSdk(async (command, send) => {
      // What the store sees once the SDK has given up: the throttling error itself.
      const write = command instanceof PutCommand || command instanceof UpdateCommand;
      if (write && ++writes % 13 === 0 && budget > 0) throw throttled(budget--);
      return send(command);
    });
    const log = await deliverUntilAccepted(system, deliveriesOf(scenario.events, 30));
    expect(budget).toBe(0);
    const { failed } = expectOnlyAcceptedOrRetry(log);
    expect(failed).toBeGreaterThan(5);
    await expectFactsOfCleanRun(system);
    restoreClient();
    expect(await recalculate(system)).toMatchObject({ status: 'succeeded' });
    await expectMetricsOfCleanRun(system);
  });

  it('fails a recalculation whose writes stay throttled, and a re-run equals a clean run', async () => {
    await deliverUntilAccepted(system, deliveriesOf(scenario.events, 150), { width: 3 });
    let batches = 0;
    injectAboveSdk(async (command, send) => {
      // Some months are written before the throttling starts, so the re-run replaces results.
      if (command instanceof BatchWriteCommand && ++batches > 9) throw throttled(batches);
      return send(command);
    });
    expect(await recalculate(system)).toMatchObject({ status: 'failed' });
    expect(batches).toBeGreaterThan(9);
    restoreClient();
    expect(await recalculate(system)).toMatchObject({ status: 'succeeded' });
    await expectMetricsOfCleanRun(system);
  });
});
