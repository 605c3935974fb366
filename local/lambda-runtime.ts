import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '../lambdas/system.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const root = resolve(import.meta.dirname, '..');
const loaded = new Map<FunctionName, Promise<Handler>>();

/** Loads a function's handler from the entry the stack bundles, so both run the same code. */
function loadHandler(fn: FunctionName): Promise<Handler> {
  let handler = loaded.get(fn);
  if (!handler) {
    const url = pathToFileURL(resolve(root, functions[fn].entry)).href;
    handler = import(url).then((module: { handler: Handler }) => module.handler);
    loaded.set(fn, handler);
  }
  return handler;
}

/** A Lambda context as the runtime would pass it, with the function's own timeout. */
function contextFor(fn: FunctionName): Context {
  const deadline = Date.now() + functions[fn].timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${fn}`,
    memoryLimitInMB: String(functions[fn].memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Invokes a function in this process the way Lambda would: one event, one context. */
export async function invokeFunction(fn: FunctionName, event: unknown): Promise<unknown> {
  const handler = await loadHandler(fn);
  return handler(event, contextFor(fn));
}

export const isFunctionName = (name: string): name is FunctionName =>
  Object.hasOwn(functions, name);
