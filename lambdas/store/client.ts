import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '../system.js';

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The document client, created on first use so that the endpoint variables local mode and tests
 * set before the first call are honoured. The SDK's standard retry mode retries throttling.
 */
export function db(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 6 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** For tests that inject faults: replaces the client every store function uses. */
export function setDocumentClient(client: DynamoDBDocumentClient | undefined): void {
  documentClient = client;
}

export function tableName(): string {
  const name = process.env[env.table];
  if (!name) throw new Error(`${env.table} is not set: the stack or local mode sets it`);
  return name;
}
