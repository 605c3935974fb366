import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, expect, inject, it } from 'vitest';
import { clusterResponse } from '../../lambdas/handlers/api/evidence-schemas.js';
import {
  accountIndexUpgrade,
  indexMappingsAndAliases,
} from '../../lambdas/store/account-index-upgrade.js';
import {
  identityLinksUpgrade,
  linkIdentitiesToActivities,
} from '../../lambdas/store/identity-links-upgrade.js';
import { keys } from '../../lambdas/store/keys.js';
import {
  moveLegacySnapshotFacts,
  snapshotFactsUpgrade,
} from '../../lambdas/store/legacy-snapshot-facts.js';
import { ensureTables, localClient } from '../../local/dynamodb.js';
import { deliverSigned } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * A data dir written before snapshot facts were keyed by cluster holds them as
 * `SNAPSHOT#<eventId>` / `FACT`; local mode moves them to their cluster's partition when it starts,
 * so that `GET /clusters/{clusterId}` lists them and a redelivery of one is still a duplicate.
 */
const client = localClient(inject('dynamoDbEndpoint'));
let system: TestSystem | undefined;
afterAll(async () => {
  await system?.stop();
  client.destroy();
});

const oldFact = (eventId: string, fields: Record<string, unknown>) =>
  marshall(
    { pk: `SNAPSHOT#${eventId}`, sk: 'FACT', eventId, environment: 'production', ...fields },
    { convertClassInstanceToMap: true },
  );

const tableItems = async (table: string) => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client }, { TableName: table })) {
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
  }
  return items;
};

it('moves an older data dir’s snapshot facts to their clusters’ partitions once, losing nothing', async () => {
  const prefix = `o${randomUUID().slice(0, 8)}-`;
  const { main } = await ensureTables(client, prefix);
  // As an older version left the table: no marker, facts keyed by eventId alone.
  const marker = marshall(keys.upgradeDone(snapshotFactsUpgrade));
  await client.send(new DeleteItemCommand({ TableName: main, Key: marker }));
  const receivedAt = '2025-02-01T00:00:00.000Z';
  const old = [
    { eventId: 'c-old@2025-01-10T00:00:00Z', reportedAt: '2025-01-10T00:00:00Z', nodes: 10 },
    {
      eventId: 'c-old@2025-01-20T08:00:00+08:00',
      reportedAt: '2025-01-20T08:00:00+08:00',
      nodes: 20,
    },
    {
      eventId: 'explicit-1',
      reportedAt: '2025-01-25T00:00:00Z',
      nodes: 30,
      components: { tikv: 30 },
    },
  ];
  const items = [
    ...old.map(({ eventId, ...fields }) =>
      oldFact(eventId, { ...fields, clusterId: 'c-old', receivedAt }),
    ),
    oldFact('no-cluster', { reportedAt: '2025-01-10T00:00:00Z', nodes: 1, receivedAt }),
  ];
  for (const Item of items) await client.send(new PutItemCommand({ TableName: main, Item }));
  // A move cut short after its put: the fact is under both keys.
  const first = old[0] as (typeof old)[number];
  await client.send(
    new PutItemCommand({
      TableName: main,
      Item: marshall({
        ...keys.snapshot({ clusterId: 'c-old', ...first }),
        ...first,
        clusterId: 'c-old',
        environment: 'production',
        receivedAt,
      }),
    }),
  );

  system = await startTestSystem(undefined, { tablePrefix: prefix });
  const deliver = await deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    {
      events: [
        // Redelivered after the move: still the same fact.
        { clusterId: 'c-old', environment: 'production', nodes: 99, reportedAt: first.reportedAt },
        {
          clusterId: 'c-old',
          environment: 'production',
          nodes: 40,
          reportedAt: '2025-01-30T00:00:00Z',
        },
      ],
    },
  );
  expect(await deliver.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });

  const response = await system.api('/clusters/c-old');
  expect(response.status).toBe(200);
  const { snapshots } = clusterResponse.parse(await response.json());
  expect(snapshots.map((s) => [s.eventId, s.nodes, s.components])).toEqual([
    ['c-old@2025-01-30T00:00:00Z', 40, null],
    ['explicit-1', 30, { tikv: 30 }],
    ['c-old@2025-01-20T08:00:00+08:00', 20, null],
    ['c-old@2025-01-10T00:00:00Z', 10, null],
  ]);
  expect(snapshots.slice(1).map((s) => s.receivedAt)).toEqual([receivedAt, receivedAt, receivedAt]);

  const left = (await tableItems(main)).filter((item) => String(item.pk).startsWith('SNAPSHOT#'));
  expect(left.map((item) => item.eventId)).toEqual(['no-cluster']);
  const done = await client.send(new GetItemCommand({ TableName: main, Key: marker }));
  expect(done.Item?.left).toEqual({ N: '1' });
  // Done once: a later start reads the marker and moves nothing.
  expect(await moveLegacySnapshotFacts(client, main)).toEqual({ moved: 0, left: 0 });
});

it('reports the running count of facts moved', async () => {
  const { main } = await ensureTables(client, `p${randomUUID().slice(0, 8)}-`);
  await client.send(
    new DeleteItemCommand({
      TableName: main,
      Key: marshall(keys.upgradeDone(snapshotFactsUpgrade)),
    }),
  );
  for (let i = 0; i < 60; i++) {
    const reportedAt = `2025-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:${String(i).padStart(2, '0')}Z`;
    await client.send(
      new PutItemCommand({
        TableName: main,
        Item: oldFact(`e-${i}`, { clusterId: `c-${i % 3}`, reportedAt, nodes: i }),
      }),
    );
  }
  const counts: number[] = [];
  expect(await moveLegacySnapshotFacts(client, main, (n) => counts.push(n))).toEqual({
    moved: 60,
    left: 0,
  });
  expect(counts.at(-1)).toBe(60);
  const moved = (await tableItems(main)).filter((item) =>
    String(item.pk).startsWith('CLUSTERSNAP#'),
  );
  expect(moved).toHaveLength(60);
});

it('indexes an older data dir’s cluster mappings and aliases by account once, so account evidence finds them', async () => {
  const prefix = `q${randomUUID().slice(0, 8)}-`;
  const { main } = await ensureTables(client, prefix);
  const marker = marshall(keys.upgradeDone(accountIndexUpgrade));
  await client.send(new DeleteItemCommand({ TableName: main, Key: marker }));
  // As an older version wrote them: no gsi1 keys.
  const put = (item: Record<string, unknown>) =>
    client.send(new PutItemCommand({ TableName: main, Item: marshall(item) }));
  await put({ ...keys.clusterMapping('m-1'), clusterId: 'm-1', accountId: 'acme', revision: 1 });
  await put({ ...keys.clusterMapping('m-2'), clusterId: 'm-2', accountId: 'acme-cn', revision: 1 });
  await put({ ...keys.account('acme'), accountId: 'acme', name: 'Acme', revision: 1 });
  await put({ ...keys.account('acme-cn'), accountId: 'acme-cn', aliasOf: 'acme', revision: 1 });
  expect(await indexMappingsAndAliases(client, main)).toBe(3);
  const items = await tableItems(main);
  const place = (pk: string, sk: string) => {
    const item = items.find((i) => i.pk === pk && i.sk === sk);
    return { gsi1pk: item?.gsi1pk, gsi1sk: item?.gsi1sk };
  };
  expect(place('CLUSTERMAP', 'm-1')).toEqual(keys.mappingByAccount('acme', 'm-1'));
  expect(place('CLUSTERMAP', 'm-2')).toEqual(keys.mappingByAccount('acme-cn', 'm-2'));
  expect(place('ACCOUNT', 'acme-cn')).toEqual(keys.aliasByAccount('acme', 'acme-cn'));
  expect(place('ACCOUNT', 'acme')).toEqual({ gsi1pk: undefined, gsi1sk: undefined });
  // Done once: the marker stands, and a second call indexes nothing.
  expect(await indexMappingsAndAliases(client, main)).toBe(0);
});

it('links an older data dir’s activities from their identities once, so a member is found by identity', async () => {
  const prefix = `l${randomUUID().slice(0, 8)}-`;
  const { main } = await ensureTables(client, prefix);
  const marker = marshall(keys.upgradeDone(identityLinksUpgrade));
  await client.send(new DeleteItemCommand({ TableName: main, Key: marker }));
  // As an older version stored them: the fact and its time index entry, no links.
  const activities = [
    { activityId: 'a-1', identities: ['email:ada@example.com', 'github:ada'] },
    { activityId: 'a-2', identities: ['github:ada'] },
  ];
  for (const { activityId, identities } of activities) {
    const occurredAt = '2025-03-01T10:00:00Z';
    await client.send(
      new PutItemCommand({
        TableName: main,
        Item: marshall({
          ...keys.activity(activityId),
          ...keys.activityByTime(activityId, occurredAt),
          activityId,
          identities,
          occurredAt,
          type: 'talk',
          status: 'delivered',
        }),
      }),
    );
  }
  expect(await linkIdentitiesToActivities(client, main)).toBe(3);
  const links = (await tableItems(main))
    .filter((item) => String(item.sk).startsWith('ACTIVITY#'))
    .map((item) => `${item.pk} ${item.sk}`)
    .sort();
  expect(links).toEqual([
    'IDENTITY#email:ada@example.com ACTIVITY#a-1',
    'IDENTITY#github:ada ACTIVITY#a-1',
    'IDENTITY#github:ada ACTIVITY#a-2',
  ]);
  // Done once: the marker stands, and a second call links nothing.
  expect(await linkIdentitiesToActivities(client, main)).toBe(0);
});
