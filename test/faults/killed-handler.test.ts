import { BatchWriteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { eventIdOf } from '../support/ka-expectations.js';
import type { TestSystem } from '../support/test-system.js';
import { type Command, injectAboveSdk, restoreClient } from './support/faulty-client.js';
import {
  type Delivery,
  deliveriesOf,
  deliverUntilAccepted,
  distinctEventIds,
  expectFactsOfCleanRun,
  expectMetricsOfCleanRun,
  expectOnlyAcceptedOrRetry,
  type IngestResult,
  post,
  recalculate,
  scenario,
  tableReader,
} from './support/scenario.js';
import { startFaultSystem } from './support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startFaultSystem();
});
afterAll(() => system?.stop());
afterEach(() => restoreClient());

const isWrite = (command: Command) =>
  command instanceof PutCommand ||
  command instanceof UpdateCommand ||
  command instanceof BatchWriteCommand;

/** The write after every fact is stored and folded: marking their months touched. */
const isTouch = (command: Command) =>
  command instanceof UpdateCommand && command.input.Key?.pk === 'MONTHS';

/** The last write of a telemetry delivery: when telemetry last arrived. */
const isReceipt = (command: Command) =>
  command instanceof UpdateCommand && command.input.Key?.sk === 'TELEMETRY';

/**
 * The ingest handler dies: the write that meets `killAt` fails and so does every DynamoDB call
 * after it, as if the process were gone. Writes already sent still land, as they would; the
 * handler may answer before they do, so `landed()` waits for them.
 */
function killHandler(killAt: (command: Command, writes: number) => boolean) {
  let writes = 0;
  let dead = false;
  const inFlight = new Set<Promise<unknown>>();
  injectAboveSdk(async (command, send) => {
    if (!dead && isWrite(command) && killAt(command, ++writes)) dead = true;
    if (dead) throw new Error('the handler was killed (injected)');
    const sent = send(command);
    inFlight.add(sent);
    return sent.finally(() => inFlight.delete(sent));
  });
  return { landed: () => Promise.allSettled([...inFlight]) };
}

/** How many of a delivery's events are stored right now. */
async function storedOf(delivery: Delivery): Promise<number> {
  const reader = tableReader(system);
  try {
    const facts = await reader.facts();
    return delivery.events.filter((event) => facts.has(eventIdOf(event))).length;
  } finally {
    reader.close();
  }
}

it('answers 5xx when killed mid-delivery; the redelivery completes it and counts each event once', async () => {
  const deliveries = deliveriesOf(scenario.events, 50);
  const size = (d: Delivery) => d.events.length;
  const cuts: [string, (command: Command, writes: number) => boolean][] = [
    // Each cluster month's facts are stored, then folded, while others are stored.
    ['while storing the facts and folding them', (_, writes) => writes > 20],
    ['while marking their months touched', (command) => isTouch(command)],
    ['just before answering', (command) => isReceipt(command)],
  ];
  let accepted = 0;
  let storedByKilled = 0;
  const acceptedOf = async (delivery: Delivery) => {
    const { status, json } = await post(system, delivery);
    expect(status, JSON.stringify(json)).toBe(202);
    return json as IngestResult;
  };

  for (const [k, [when, killAt]] of cuts.entries()) {
    const victim = deliveries[2 * k + 1];
    const before = deliveries[2 * k];
    if (!victim || !before) throw new Error('not enough deliveries');
    accepted += (await acceptedOf(before)).accepted;
    const handler = killHandler(killAt);
    const killed = await post(system, victim);
    await handler.landed();
    restoreClient();
    expect(killed.status, when).toBeGreaterThanOrEqual(500);
    const stored = await storedOf(victim);
    // Some of the twenty writes before the kill stored facts; a later kill found all stored.
    if (k > 0) expect(stored, when).toBe(size(victim));
    else {
      expect(stored, when).toBeGreaterThan(0);
      expect(stored, when).toBeLessThanOrEqual(20);
    }
    // The same delivery again: what the killed one stored is a duplicate, the rest is new.
    const redelivered = await acceptedOf(victim);
    expect(redelivered, when).toEqual({
      accepted: size(victim) - stored,
      duplicates: stored,
      rejected: [],
    });
    accepted += redelivered.accepted;
    storedByKilled += stored;
  }
  const rest = await deliverUntilAccepted(system, deliveries.slice(2 * cuts.length), { width: 3 });
  for (const answers of rest.values()) expect(answers.map((a) => a.status)).toEqual([202]);
  accepted += expectOnlyAcceptedOrRetry(rest).accepted;
  // Each event accepted once, or stored by a killed delivery and a duplicate on redelivery.
  expect(accepted + storedByKilled).toBe(distinctEventIds().size);
  await expectFactsOfCleanRun(system);
  expect(await recalculate(system)).toMatchObject({ status: 'succeeded' });
  await expectMetricsOfCleanRun(system);
});
