import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { env, type FunctionName } from '../system.js';

let client: LambdaClient | undefined;

/**
 * Queues an asynchronous invocation of another of Flywheel's functions (Lambda retries it on
 * failure); locally the Lambda endpoint is local mode's stand-in.
 */
export async function invokeAsync(fn: FunctionName, payload: unknown): Promise<void> {
  const name = process.env[env.functionName(fn)];
  if (!name) throw new Error(`${env.functionName(fn)} is not set: the stack or local mode sets it`);
  client ??= new LambdaClient({});
  await client.send(
    new InvokeCommand({
      FunctionName: name,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
}
