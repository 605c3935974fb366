/**
 * `npm run load`: signed telemetry webhooks against local mode under concurrency, for
 * FLYWHEEL_LOAD_SECONDS (default 60), then proof that every delivery answered 2xx was stored, once.
 * Everything it starts is its own (in-memory DynamoDB Local, SES stand-in, API on free loopback
 * ports) and stopped at the end; it exits non-zero on any error, non-2xx or count mismatch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type AttributeValue, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { db, setDocumentClient } from '../lambdas/store/client.js';
import { keys } from '../lambdas/store/keys.js';
import { localClient, startDynamoDb } from '../local/dynamodb.js';
import { freePort } from '../local/free-port.js';
import { generateSecrets } from '../local/secrets.js';
import { startSes } from '../local/ses.js';
import { postSigned } from '../local/signed-delivery.js';
import { startLocalSystem } from '../local/system.js';
import { printSummary, type Reconciliation } from './summary.js';
import { type Ledger, telemetryRequests } from './telemetry-requests.js';

const seconds = Number(process.env.FLYWHEEL_LOAD_SECONDS ?? '60');
const connections = Number(process.env.FLYWHEEL_LOAD_CONNECTIONS ?? '8');
const shape = { eventsPerRequest: 50, clusters: 2_000, accounts: 300 };

/** What identifies a stored fact (`keys.snapshot`). */
type StoredEvent = { clusterId: string; reportedAt: string; eventId: string };

async function main(): Promise<number> {
  if (!(seconds > 0 && seconds <= 600) || !(connections > 0 && connections <= 256)) {
    throw new Error('FLYWHEEL_LOAD_SECONDS must be 1–600 and FLYWHEEL_LOAD_CONNECTIONS 1–256');
  }
  // Handlers log and emit metrics per request; at this rate that would drown the figures.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_DEV ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // Bounded whatever happens: the run, the settling and the count, with room to spare.
  setTimeout(
    () => {
      console.error('The load run overran its time bound; giving up.');
      process.exit(2);
    },
    (seconds + 240) * 1000,
  ).unref();

  console.log('Starting local mode (DynamoDB Local in memory, SES stand-in, API)…');
  const dynamoDb = await startDynamoDb({ port: await freePort() });
  const ses = await startSes({ port: await freePort() }).catch(async (error) => {
    await dynamoDb.stop();
    throw error;
  });
  const secrets = generateSecrets();
  const system = await startLocalSystem({
    port: 0,
    dynamoDb: { endpoint: dynamoDb.endpoint },
    ses: { endpoint: ses.endpoint },
    tablePrefix: 'load-',
    secrets,
    scheduleTimeZone: 'UTC',
    runSchedules: false,
  }).catch(async (error) => {
    await ses.stop();
    await dynamoDb.stop();
    throw error;
  });
  const storeCalls = watchStoreCalls();
  const reader = localClient(dynamoDb.endpoint);
  try {
    await warmUp(system.apiUrl, secrets.telemetrySecret);
    const load = telemetryRequests(secrets.telemetrySecret, shape);
    console.log(
      `Sending ${shape.eventsPerRequest}-event telemetry batches to ${system.apiUrl} ` +
        `over ${connections} connections for ${seconds} s…`,
    );
    const result = await fire(system.apiUrl, load.request, load.ledger);
    const inFlight = await settleInFlight(load, storeCalls, (events) =>
      countStored(reader, system.tableNames.main, events),
    );
    const stored = await countFacts(reader, system.tableNames.main);
    const reconciliation: Reconciliation = { ...inFlight, stored };
    return printSummary({
      seconds,
      connections,
      shape,
      result,
      ledger: load.ledger,
      reconciliation,
    });
  } finally {
    reader.destroy();
    setDocumentClient(undefined);
    await system.stop();
    await ses.stop();
    await dynamoDb.stop();
  }
}

/** One empty delivery first, so that loading the handler is not part of the measured latency. */
async function warmUp(apiUrl: string, secret: string): Promise<void> {
  const response = await postSigned(`${apiUrl}/webhooks/telemetry`, secret, { events: [] });
  if (response.status !== 202) throw new Error(`Warm-up answered ${response.status}`);
}

function fire(apiUrl: string, request: autocannon.Request, ledger: Ledger) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    let ticks = 0;
    const instance = autocannon(
      { url: apiUrl, connections, duration: seconds, requests: [request] },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('tick', () => {
      if (++ticks % 10 === 0 && ticks < seconds) {
        console.log(
          `  ${ticks} s: ${ledger.sent} requests sent, ${ledger.answered2xx} answered 2xx`,
        );
      }
    });
  });
}

/**
 * Counts the stores' DynamoDB calls in flight (the client `db()` hands every handler), to tell
 * when the server has finished the requests autocannon left behind when it stopped.
 */
function watchStoreCalls() {
  setDocumentClient(undefined);
  const client = db();
  const send = client.send.bind(client) as unknown as (command: object) => Promise<unknown>;
  let inFlight = 0;
  let lastActivity = Date.now();
  const done = () => {
    inFlight--;
    lastActivity = Date.now();
  };
  client.send = ((command: object) => {
    inFlight++;
    lastActivity = Date.now();
    return send(command).finally(done);
  }) as unknown as typeof client.send;
  return { quietFor: (ms: number) => inFlight === 0 && Date.now() - lastActivity >= ms };
}

/**
 * Requests in flight when autocannon stopped were written but never answered; the server still
 * finishes them. Once it is quiet, each must be stored whole or not at all (never answered, so a
 * sender would retry it either way).
 */
async function settleInFlight(
  load: ReturnType<typeof telemetryRequests>,
  storeCalls: ReturnType<typeof watchStoreCalls>,
  stored: (events: readonly StoredEvent[]) => Promise<number>,
): Promise<Omit<Reconciliation, 'stored'>> {
  const deadline = Date.now() + 60_000;
  while (!storeCalls.quietFor(2_000) && Date.now() < deadline) await sleep(250);
  const pending = [...load.ledger.unanswered.values()];
  const counts = await Promise.all(pending.map((sent) => stored(load.eventsOf(sent))));
  return {
    inFlightAtStop: pending.length,
    inFlightStored: counts.filter((n) => n === shape.eventsPerRequest).length,
    inFlightPartial: counts.filter((n) => n > 0 && n < shape.eventsPerRequest).length,
  };
}

async function countStored(
  reader: ReturnType<typeof localClient>,
  table: string,
  events: readonly StoredEvent[],
): Promise<number> {
  const found = await Promise.all(
    events.map(async (event) => {
      const { pk, sk } = keys.snapshot(event);
      const { Item } = await reader.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } }),
      );
      return Item !== undefined;
    }),
  );
  return found.filter(Boolean).length;
}

/** Stored telemetry facts: one item per distinct event (a parallel scan, counting only). */
async function countFacts(reader: ReturnType<typeof localClient>, table: string): Promise<number> {
  const segments = 4;
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let count = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await reader.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            Select: 'COUNT',
            FilterExpression: 'begins_with(pk, :p)',
            ExpressionAttributeValues: { ':p': { S: keys.snapshotPartitionPrefix } },
            ExclusiveStartKey: start,
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return count;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The load run failed:', error);
    process.exit(1);
  },
);
