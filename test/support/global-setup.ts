import type { TestProject } from 'vitest/node';
import { startDynamoDb } from '../../local/dynamodb.js';
import { freePort } from '../../local/free-port.js';
import { startSes } from '../../local/ses.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    sesEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory) and one SES stand-in for the whole run: starting the jar costs
 * seconds and ~450 MB, so test files share it and keep apart by table prefix.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamoDb = await startDynamoDb({ port: await freePort() });
  const ses = await startSes({ port: await freePort() });
  project.provide('dynamoDbEndpoint', dynamoDb.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await ses.stop();
    await dynamoDb.stop();
  };
}
