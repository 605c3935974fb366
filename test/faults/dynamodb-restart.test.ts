import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueRecalculation } from '../../lambdas/compute/recalculation-jobs.js';
import { parseMonth } from '../../lambdas/domain/month.js';
import { type RunningDynamoDb, startDynamoDb } from '../../local/dynamodb.js';
import { freePort } from '../../local/free-port.js';
import type { TestSystem } from '../support/test-system.js';
import { injectAboveSdk, restoreClient } from './support/faulty-client.js';
import {
  deliveriesOf,
  deliverUntilAccepted,
  expectFactsOfCleanRun,
  expectMetricsOfCleanRun,
  expectOnlyAcceptedOrRetry,
  scenario,
  waitForEnd,
} from './support/scenario.js';
import { startFaultSystem } from './support/system.js';

/**
 * The real fault: this file's own DynamoDB Local, on disk and on a fixed port, is stopped and
 * started again. The injected client only picks the moment (the n-th write) and never fails a call.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-faults-'));
let port: number;
let dynamoDb: RunningDynamoDb | undefined;
let system: TestSystem;

beforeAll(async () => {
  port = await freePort();
  dynamoDb = await startDynamoDb({ port, path: dataDir });
  system = await startFaultSystem(dynamoDb.endpoint);
});
afterAll(async () => {
  await system?.stop();
  await dynamoDb?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => restoreClient());

const isWrite = (command: unknown) =>
  command instanceof PutCommand ||
  command instanceof UpdateCommand ||
  command instanceof BatchWriteCommand;

/** Whether this file's DynamoDB Local is stopped (by `stopAtWrite`) and not yet restarted. */
let down = false;

/** Stops DynamoDB Local right before the n-th write of `kind`; calls from then on find it gone. */
function stopAtWrite(n: number, kind: (command: unknown) => boolean = isWrite): void {
  let writes = 0;
  let stopped: Promise<void> | undefined;
  injectAboveSdk(async (command, send) => {
    if (!stopped && kind(command) && ++writes === n) {
      down = true;
      stopped = dynamoDb?.stop();
    }
    await stopped;
    return send(command);
  });
}

async function restart(): Promise<void> {
  dynamoDb = await startDynamoDb({ port, path: dataDir });
  down = false;
  restoreClient();
}

/**
 * Each case stops and starts a JVM: 25 s on a 2-core machine at load 8, 41 s at load 14 (other
 * test runs on it), where the default 30 s budget is about the restart, not the code under test.
 */
const restartBudget = 90_000;

// The two cases share the table: the second recalculates what the first ingested.
describe('DynamoDB Local stopped and restarted', { timeout: restartBudget }, () => {
  it('mid-ingestion: deliveries fail with a 5xx or succeed, and redelivery ends like a clean run', async () => {
    stopAtWrite(300);
    let restarts = 0;
    const log = await deliverUntilAccepted(system, deliveriesOf(scenario.events, 40), {
      width: 2,
      // A sender backs off once deliveries fail; DynamoDB is back before it retries.
      holdOff: () => down,
      betweenRounds: async () => {
        if (down) {
          restarts++;
          await restart();
        }
      },
    });
    expect(restarts).toBe(1);
    expect(expectOnlyAcceptedOrRetry(log).failed).toBeGreaterThan(0);
    const acceptedBeforeRestart = [...log.values()].filter((answers) => answers[0]?.status === 202);
    expect(acceptedBeforeRestart.length).toBeGreaterThan(0);
    // Everything answered 2xx before the stop survived it on disk.
    await expectFactsOfCleanRun(system);
  });

  it('mid-recalculation: the job reads how its execution ended, never running, and a re-run ends like a clean run', async () => {
    const months = scenario.months.map(parseMonth);
    // Batch writes only: queueing the job writes none, so the stop comes inside its first run.
    stopAtWrite(6, (command) => command instanceof BatchWriteCommand);
    const { jobId } = await queueRecalculation(months);
    const execution = system.executions().find((e) => e.name === jobId);
    while (!down) await new Promise((resolve) => setTimeout(resolve, 50));
    await restart();
    // Whether the retries (the SDK's, then the state machine's) outlasted the outage or not, the
    // job says how its execution ended.
    await execution?.done;
    const outcome = execution?.status === 'SUCCEEDED' ? 'succeeded' : 'failed';
    expect(await waitForEnd(system, jobId, 10_000)).toMatchObject({ status: outcome });
    if (outcome === 'failed') {
      const again = await queueRecalculation(months);
      expect(await waitForEnd(system, again.jobId)).toMatchObject({ status: 'succeeded' });
    }
    await expectMetricsOfCleanRun(system);
  });
});
