/**
 * Issue #10 item 10: when DynamoDB throttles past the SDK's retries, or cannot be reached, every
 * route tells the caller to back off and retry — 503 with Retry-After — never a bare 500 and never
 * a 2xx that loses data (SPEC §2).
 */
import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverSigned } from '../support/signed-delivery.js';
import type { TestSystem } from '../support/test-system.js';
import { injectAboveSdk, restoreClient } from './support/faulty-client.js';
import { startFaultSystem } from './support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startFaultSystem();
});
afterAll(() => system?.stop());
afterEach(() => restoreClient());

const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const faults = {
  throttling: () => new ThrottlingException({ message: 'injected', $metadata: {} }),
  'provisioned throughput': () =>
    new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} }),
  'a refused connection': unreachable,
};

async function expectBackOff(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Object.keys((await response.json()) as object)).toEqual(['error']);
}

describe.each(Object.entries(faults))('under %s', (_, fault) => {
  it('the telemetry webhook answers 503 with Retry-After', async () => {
    injectAboveSdk(async () => {
      throw fault();
    });
    const response = await deliverSigned(
      `${system.apiUrl}/webhooks/telemetry`,
      system.secrets.telemetrySecret,
      {
        events: [
          {
            clusterId: 'c-1',
            environment: 'production',
            nodes: 1,
            reportedAt: '2026-01-01T00:00:00Z',
          },
        ],
      },
    );
    await expectBackOff(response);
  });

  it('the community webhook answers 503 with Retry-After', async () => {
    injectAboveSdk(async () => {
      throw fault();
    });
    const response = await deliverSigned(
      `${system.apiUrl}/webhooks/community`,
      system.secrets.communitySecret,
      {
        activities: [
          {
            activityId: 'a-1',
            type: 'talk',
            occurredAt: '2026-01-01T00:00:00Z',
            member: { github: 'a' },
          },
        ],
      },
    );
    await expectBackOff(response);
  });

  it('read and admin routes answer 503 with Retry-After', async () => {
    injectAboveSdk(async () => {
      throw fault();
    });
    await expectBackOff(await system.api('/metrics/ka'));
    await expectBackOff(await system.api('/admin/config'));
    await expectBackOff(
      await system.api('/admin/clusters/c-1', {
        method: 'PUT',
        body: JSON.stringify({ accountId: 'a' }),
      }),
    );
  });
});

it('a failure that is nobody’s to retry stays a plain 500 that reveals nothing', async () => {
  injectAboveSdk(async () => {
    throw new TypeError('a bug');
  });
  const response = await system.api('/metrics/ka');
  expect(response.status).toBe(500);
  expect(response.headers.get('retry-after')).toBeNull();
  expect(await response.text()).not.toMatch(/a bug|TypeError/);
});
