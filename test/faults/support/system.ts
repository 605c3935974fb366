import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { env } from '../../../lambdas/system.js';
import { ensureTables, localClient } from '../../../local/dynamodb.js';
import type { LocalSecrets } from '../../../local/secrets.js';
import { startLocalSystem } from '../../../local/system.js';
import type { TestSystem } from '../../support/test-system.js';

/**
 * `startTestSystem` with a choice of DynamoDB: the run's shared one by default, or one a test
 * starts itself so that it may stop and restart it. Each system gets its own tables and secrets.
 */
export async function startFaultSystem(
  dynamoDbEndpoint = inject('dynamoDbEndpoint'),
): Promise<TestSystem> {
  const secrets: LocalSecrets = {
    adminToken: randomBytes(18).toString('base64url'),
    telemetrySecret: `whsec_${randomBytes(32).toString('base64')}`,
    communitySecret: `whsec_${randomBytes(32).toString('base64')}`,
  };
  const system = await startLocalSystem({
    port: 0,
    dynamoDb: { endpoint: dynamoDbEndpoint },
    ses: { endpoint: inject('sesEndpoint') },
    tablePrefix: `f${randomUUID().slice(0, 8)}-`,
    secrets,
    scheduleTimeZone: 'UTC',
    runSchedules: false,
  });
  const api = (path: string, init: RequestInit & { auth?: boolean } = {}) => {
    const { auth = true, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth) headers.set('authorization', `Bearer ${secrets.adminToken}`);
    if (rest.body !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${system.apiUrl}${path}`, { ...rest, headers });
  };
  return { ...system, secrets, api };
}

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
