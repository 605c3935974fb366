/**
 * Fault injection at the two places a DynamoDB fault can surface, for faults DynamoDB Local cannot
 * produce on demand. Both take a fresh client from `db()` itself — so the production retry settings
 * are the ones under test — and patch it; every call not faulted goes to the real DynamoDB Local.
 */
import { Readable } from 'node:stream';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { db, setDocumentClient } from '../../../lambdas/store/client.js';

/** A command as a store sends it; interceptors tell them apart with `instanceof`. */
export type Command = object;

/** Decides what a store call gets; `send` passes a command (this one, or another) to DynamoDB Local. */
export type Interceptor = (
  command: Command,
  send: (command: Command) => Promise<unknown>,
) => Promise<unknown>;

/** The client every store uses from now on, built by `db()` as in production. */
function productionClient(): DynamoDBDocumentClient {
  setDocumentClient(undefined);
  return db();
}

/**
 * Store level, above the SDK's retries: what the store code sees once the SDK gave up (a
 * throttling error that outlasted every retry, a partial BatchWriteItem, a process killed).
 */
export function injectAboveSdk(intercept: Interceptor): DynamoDBDocumentClient {
  const client = productionClient();
  const send = client.send.bind(client) as unknown as (command: Command) => Promise<unknown>;
  client.send = ((command: Command) =>
    intercept(command, send)) as unknown as DynamoDBDocumentClient['send'];
  return client;
}

/** One HTTP attempt of one SDK call; attempts of the same call share `invocation`. */
export interface Attempt {
  readonly invocation: string;
  readonly attempt: number;
}

/** The error DynamoDB answers on the wire when it throttles, by its `__type`. */
export type ThrottleError = 'ProvisionedThroughputExceededException' | 'ThrottlingException';

interface HttpHandlerLike {
  handle(request: { headers: Record<string, string> }, options?: unknown): Promise<unknown>;
}

/**
 * Wire level, below the SDK's retries: chosen attempts are answered with DynamoDB's own HTTP 400
 * throttling response instead of reaching DynamoDB Local, so the SDK's error parsing and retry
 * policy run exactly as against AWS.
 */
export function throttleOnTheWire(
  decide: (attempt: Attempt) => ThrottleError | undefined,
): DynamoDBDocumentClient {
  const client = productionClient();
  const handler = client.config.requestHandler as unknown as HttpHandlerLike;
  const handle = handler.handle.bind(handler);
  handler.handle = (request, options) => {
    const invocation = request.headers['amz-sdk-invocation-id'] ?? '';
    const attempt = Number(/attempt=(\d+)/.exec(request.headers['amz-sdk-request'] ?? '')?.[1]);
    const error = decide({ invocation, attempt });
    return error ? Promise.resolve(throttledResponse(error)) : handle(request, options);
  };
  return client;
}

function throttledResponse(error: ThrottleError) {
  const namespace =
    error === 'ThrottlingException' ? 'com.amazon.coral.availability' : 'com.amazonaws.dynamodb';
  const body = JSON.stringify({ __type: `${namespace}#${error}`, message: 'Throttled (injected)' });
  return {
    response: {
      statusCode: 400,
      reason: 'Bad Request',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'injected' },
      body: Readable.from([Buffer.from(body)]),
    },
  };
}

/** Back to the client `db()` builds from the environment. */
export function restoreClient(): void {
  setDocumentClient(undefined);
}
