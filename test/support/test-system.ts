import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { generateSecrets, type LocalSecrets } from '../../local/secrets.js';
import { type LocalSystem, startLocalSystem } from '../../local/system.js';

export interface TestSystem extends LocalSystem {
  readonly secrets: LocalSecrets;
  /** `fetch` against the local API, with the admin token unless `auth: false`. */
  api(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
}

/**
 * The whole local system on the run's shared stand-ins (or a DynamoDB Local a test runs itself, to
 * stop and restart it), with its own tables and secrets, so that test files can run side by side
 * without seeing each other's data. `tablePrefix` names tables a test prepared, e.g. as an older
 * version left them.
 */
export async function startTestSystem(
  dynamoDbEndpoint = inject('dynamoDbEndpoint'),
  options: { consoleAssets?: string; tablePrefix?: string } = {},
): Promise<TestSystem> {
  const secrets = generateSecrets();
  const system = await startLocalSystem({
    port: 0,
    dynamoDb: { endpoint: dynamoDbEndpoint },
    ses: { endpoint: inject('sesEndpoint') },
    secrets,
    scheduleTimeZone: 'UTC',
    runSchedules: false,
    ...options,
    tablePrefix: options.tablePrefix ?? `t${randomUUID().slice(0, 8)}-`,
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
