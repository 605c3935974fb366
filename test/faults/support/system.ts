import { randomUUID } from 'node:crypto';
import { env } from '../../../lambdas/system.js';
import { ensureTables, localClient } from '../../../local/dynamodb.js';
import { startTestSystem, type TestSystem } from '../../support/test-system.js';

/** `startTestSystem`, on the run's shared DynamoDB or one a test starts itself. */
export const startFaultSystem = startTestSystem;

/**
 * Points the running system at new, empty tables (the stores read `FLYWHEEL_TABLE` on every call),
 * so that tests of one file start clean without a second system: a process can only serve one,
 * as the SDK's Lambda client keeps the first Lambda endpoint it saw.
 */
export async function useFreshTables(system: TestSystem): Promise<string> {
  const client = localClient(system.dynamoDbEndpoint);
  try {
    const { main } = await ensureTables(client, `f${randomUUID().slice(0, 8)}-`);
    process.env[env.table] = main;
    return main;
  } finally {
    client.destroy();
  }
}
