/**
 * Webhook signatures (issue item 3, SPEC §2, §11): Standard Webhooks verified by the
 * `standardwebhooks` package (whose comparison is constant-time), a signature one byte off is
 * refused, the replay window is 300 s both ways, a replay inside it is a duplicate, and rotation
 * accepts every listed secret. GitHub's and Discourse's `sha256=<hex>` are verified by
 * `@octokit/webhooks-methods` (constant-time too); they sign no time, so a replay is harmless only
 * because it is a duplicate.
 */
import * as webhooksMethods from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { env } from '../../lambdas/system.js';
import {
  discourseDelivery,
  discoursePost,
  githubDelivery,
  mergedPullRequest,
  postDelivery,
  type SenderDelivery,
} from '../support/sender-deliveries.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { expectJsonError, send } from './support/fuzz.js';
import { type Signed, sign } from './support/tampering.js';

// The library's verify, spied on rather than replaced: the server must call it.
vi.mock('@octokit/webhooks-methods', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@octokit/webhooks-methods')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

let system: TestSystem;
let url: string;

beforeAll(async () => {
  system = await startTestSystem();
  url = `${system.apiUrl}/webhooks/telemetry`;
});

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
  process.env[env.secret.telemetrySecret] = system.secrets.telemetrySecret;
  process.env[env.secret.githubSecret] = system.secrets.githubSecret;
  process.env[env.secret.discourseSecret] = system.secrets.discourseSecret;
});

let events = 0;
/** A fresh one-event body, so each delivery's outcome is its own. */
const body = () =>
  JSON.stringify({
    events: [
      {
        eventId: `sig-${++events}`,
        clusterId: 'c-1',
        environment: 'production',
        nodes: 64,
        reportedAt: new Date().toISOString(),
      },
    ],
  });

const post = (text: string, headers: Partial<Signed>) =>
  send(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(headers.id === undefined ? {} : { 'webhook-id': headers.id }),
      ...(headers.timestamp === undefined ? {} : { 'webhook-timestamp': headers.timestamp }),
      ...(headers.signature === undefined ? {} : { 'webhook-signature': headers.signature }),
    },
    body: text,
  });

const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** The signature with the last byte of its HMAC changed. */
function lastByteChanged(signature: string): string {
  const mac = Buffer.from(signature.slice('v1,'.length), 'base64');
  mac[mac.length - 1] = (mac.at(-1) ?? 0) ^ 0x01;
  return `v1,${mac.toString('base64')}`;
}

describe('POST /webhooks/telemetry signatures', () => {
  it('are checked by the standardwebhooks verifier, on the raw body and the three headers', async () => {
    const verify = vi.spyOn(Webhook.prototype, 'verify');
    const text = body();
    const signed = sign(system.secrets.telemetrySecret, text);
    expect((await post(text, signed)).status).toBe(202);
    expect(verify).toHaveBeenCalledTimes(1);
    const [payload, headers] = verify.mock.calls[0] ?? [];
    expect(Buffer.from(payload as Buffer).toString('utf8')).toBe(text);
    expect(headers).toEqual({
      'webhook-id': signed.id,
      'webhook-timestamp': signed.timestamp,
      'webhook-signature': signed.signature,
    });
  });

  it('refuse a signature whose last byte differs, with a JSON 401', async () => {
    const text = body();
    const signed = sign(system.secrets.telemetrySecret, text);
    const answer = await post(text, { ...signed, signature: lastByteChanged(signed.signature) });
    expect(answer.status).toBe(401);
    expectJsonError(answer);
    expect((await post(text, signed)).status).toBe(202);
  });

  it.each([
    ['older than 300 s', -305],
    ['more than 300 s in the future', 305],
    ['a day old', -86_400],
  ])('refuse a delivery signed %s', async (_, seconds) => {
    const text = body();
    const answer = await post(
      text,
      sign(system.secrets.telemetrySecret, text, secondsFromNow(seconds)),
    );
    expect(answer.status).toBe(401);
    expectJsonError(answer);
  });

  it.each([
    ['295 s ago', -295],
    ['295 s ahead', 295],
  ])('accept a delivery signed %s (inside the window)', async (_, seconds) => {
    const text = body();
    const answer = await post(
      text,
      sign(system.secrets.telemetrySecret, text, secondsFromNow(seconds)),
    );
    expect(answer.status).toBe(202);
  });

  it('count a replay inside the window once: the second copy is a duplicate', async () => {
    const text = body();
    const signed = sign(system.secrets.telemetrySecret, text);
    expect(JSON.parse((await post(text, signed)).text)).toMatchObject({ accepted: 1 });
    expect(JSON.parse((await post(text, signed)).text)).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
  });

  it('accept any matching signature of several, and no unknown version', async () => {
    const text = body();
    const signed = sign(system.secrets.telemetrySecret, text);
    const stranger = sign(
      `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
      text,
      undefined,
      signed.id,
    );
    const both = `${stranger.signature} ${signed.signature}`;
    expect((await post(text, { ...signed, signature: both })).status).toBe(202);
    const other = body();
    const v2 = sign(system.secrets.telemetrySecret, other).signature.replace('v1,', 'v2,');
    expect(
      (await post(other, { ...sign(system.secrets.telemetrySecret, other), signature: v2 })).status,
    ).toBe(401);
  });

  it('accept every secret listed during a rotation, and only those', async () => {
    const next = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const old = system.secrets.telemetrySecret;
    process.env[env.secret.telemetrySecret] = `${old} ${next}`;
    for (const secret of [old, next]) {
      const text = body();
      expect((await post(text, sign(secret, text))).status).toBe(202);
    }
    process.env[env.secret.telemetrySecret] = next;
    const text = body();
    expect((await post(text, sign(old, text))).status).toBe(401);
  });
});

/** GitHub and Discourse, each with a fresh delivery of a counted event signed by a given secret. */
const senders = [
  {
    name: 'github',
    header: 'x-hub-signature-256',
    secret: () => system.secrets.githubSecret,
    variable: env.secret.githubSecret,
    delivery: (secret: string) => {
      const payload = mergedPullRequest();
      payload.pull_request.number = ++events;
      return githubDelivery(secret, 'pull_request', payload);
    },
  },
  {
    name: 'discourse',
    header: 'x-discourse-event-signature',
    secret: () => system.secrets.discourseSecret,
    variable: env.secret.discourseSecret,
    delivery: (secret: string) =>
      discourseDelivery(secret, 'post_created', { post: discoursePost() }),
  },
] as const;

const deliver = (name: string, delivery: SenderDelivery) =>
  postDelivery(`${system.apiUrl}/webhooks/${name}`, delivery);

/** The `sha256=<hex>` signature with its last hex digit changed. */
const lastDigitChanged = (signature: string) =>
  `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;

describe.each(senders)('POST /webhooks/$name signatures', (sender) => {
  it('are checked by @octokit/webhooks-methods, on the raw body as sent', async () => {
    const verify = vi.mocked(webhooksMethods.verify);
    verify.mockClear();
    const delivery = sender.delivery(sender.secret());
    expect((await deliver(sender.name, delivery)).status).toBe(202);
    expect(verify).toHaveBeenCalledWith(
      sender.secret(),
      delivery.body,
      delivery.headers[sender.header],
    );
  });

  it('refuse a signature whose last digit differs, with a JSON 401', async () => {
    const delivery = sender.delivery(sender.secret());
    const signature = delivery.headers[sender.header] ?? '';
    const answer = await deliver(sender.name, {
      ...delivery,
      headers: { ...delivery.headers, [sender.header]: lastDigitChanged(signature) },
    });
    expect(answer).toEqual({ status: 401, json: { error: expect.any(String) } });
    expect((await deliver(sender.name, delivery)).status).toBe(202);
  });

  it('have no time to check: a replay, however late, is verified and counted as a duplicate', async () => {
    const delivery = sender.delivery(sender.secret());
    expect((await deliver(sender.name, delivery)).json).toMatchObject({ accepted: 1 });
    expect((await deliver(sender.name, delivery)).json).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
  });

  it('accept every secret listed during a rotation, and only those', async () => {
    const old = sender.secret();
    const next = `next-${sender.name}-secret`;
    process.env[sender.variable] = `${old} ${next}`;
    for (const secret of [old, next]) {
      expect((await deliver(sender.name, sender.delivery(secret))).status).toBe(202);
    }
    process.env[sender.variable] = next;
    expect((await deliver(sender.name, sender.delivery(old))).status).toBe(401);
  });
});
