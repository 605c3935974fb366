import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityKey } from '../../lambdas/domain/community.js';
import { tableName } from '../../lambdas/store/client.js';
import { keys } from '../../lambdas/store/keys.js';
import { localClient } from '../../local/dynamodb.js';
import type { TestSystem } from '../support/test-system.js';
import { postWebhook } from '../support/webhook-client.js';
import { injectAboveSdk, restoreClient } from './support/faulty-client.js';
import {
  deliveriesOf,
  deliverUntilAccepted,
  expectMetricsOfCleanRun,
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

type Requests = NonNullable<BatchWriteCommand['input']['RequestItems']>[string];

/**
 * DynamoDB's partial success: of the items a BatchWriteItem call carries for the first time, only
 * the first half (rounded down, so a lone item too) is written and the rest comes back in
 * UnprocessedItems; an item sent again is written. `persistent`: nothing is ever written.
 */
function partialBatches(options: { persistent: boolean }) {
  const seen = { calls: 0, unprocessed: 0 };
  const returned = new Set<string>();
  injectAboveSdk(async (command, send) => {
    if (!(command instanceof BatchWriteCommand)) return send(command);
    seen.calls++;
    const table = tableName();
    const requests: Requests = command.input.RequestItems?.[table] ?? [];
    const again = requests.filter((r) => returned.has(JSON.stringify(r)));
    const fresh = requests.filter((r) => !returned.has(JSON.stringify(r)));
    const half = Math.floor(fresh.length / 2);
    const written = options.persistent ? [] : [...again, ...fresh.slice(0, half)];
    const rest = options.persistent ? requests : fresh.slice(half);
    for (const r of rest) returned.add(JSON.stringify(r));
    seen.unprocessed += rest.length;
    if (written.length > 0) {
      const result = (await send(
        new BatchWriteCommand({ RequestItems: { [table]: written } }),
      )) as BatchWriteCommandOutput;
      rest.push(...(result.UnprocessedItems?.[table] ?? []));
    }
    return { UnprocessedItems: rest.length > 0 ? { [table]: rest } : {}, $metadata: {} };
  });
  return seen;
}

/** Sixty talks by sixty members, each known by an email and a GitHub login. */
const activities = Array.from({ length: 60 }, (_, i) => ({
  activityId: `talk-${i}`,
  type: 'talk',
  occurredAt: `2025-03-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`,
  member: { email: `Member${i}@Example.com`, github: `member-${i}`, name: `Member ${i}` },
}));
const identities: IdentityKey[] = activities.flatMap((_, i) => [
  `email:member${i}@example.com` as const,
  `github:member-${i}` as const,
]);

const deliverActivities = (items: readonly unknown[], id: string) =>
  postWebhook(
    system.apiUrl,
    '/webhooks/community',
    system.secrets.communitySecret,
    { activities: items },
    { id },
  );

/**
 * The identities whose link to their activity is missing: the merge route would not know them
 * (SPEC §3: an unknown one is 404), nor would a member be followed through them.
 */
async function missingIdentities(): Promise<IdentityKey[]> {
  const client = DynamoDBDocumentClient.from(localClient(system.dynamoDbEndpoint));
  try {
    const found = await Promise.all(
      identities.map(async (identity, i) => {
        // Two identities an activity: the i-th belongs to the (i/2)-th talk.
        const key = keys.identityActivity(identity, `talk-${Math.floor(i / 2)}`);
        const { Item } = await client.send(new GetCommand({ TableName: tableName(), Key: key }));
        return Item !== undefined;
      }),
    );
    return identities.filter((_, i) => !found[i]);
  } finally {
    client.destroy();
  }
}

describe('partial BatchWriteItem results (UnprocessedItems)', () => {
  it('are retried during community ingestion until every identity is written', async () => {
    const seen = partialBatches({ persistent: false });
    for (let k = 0; k < 3; k++) {
      const { status, json } = await deliverActivities(
        activities.slice(k * 20, (k + 1) * 20),
        `msg_partial_${k}`,
      );
      expect(status).toBe(202);
      expect(json).toEqual({ accepted: 20, duplicates: 0, rejected: [] });
    }
    expect(seen.unprocessed).toBeGreaterThan(40);
    expect(await missingIdentities()).toEqual([]);
  });

  it('that never clear make the sender retry (503), and the redelivery writes what was left', async () => {
    const batch = activities.slice(0, 20);
    partialBatches({ persistent: true });
    const failed = await deliverActivities(batch, 'msg_stuck');
    expect(failed.status).toBe(503);
    expect(failed.json).toEqual({ error: expect.any(String) });
    expect((await missingIdentities()).length).toBe(identities.length);

    restoreClient();
    // The facts were stored before their identities' links: the redelivery finds them all,
    // counts none twice, and still writes the links from them.
    const retried = await deliverActivities(batch, 'msg_stuck');
    expect(retried).toEqual({
      status: 202,
      json: { accepted: 0, duplicates: 20, rejected: [] },
    });
    expect(await missingIdentities()).toEqual(identities.slice(40));
  });

  it('are retried during recalculation: results equal a clean run', async () => {
    await deliverUntilAccepted(system, deliveriesOf(scenario.events, 150), { width: 3 });
    const seen = partialBatches({ persistent: false });
    expect(await recalculate(system)).toMatchObject({ status: 'succeeded' });
    // Every month's account list and row came back unprocessed once.
    expect(seen.unprocessed).toBeGreaterThanOrEqual(2 * scenario.months.length);
    restoreClient();
    await expectMetricsOfCleanRun(system);
  });
});
