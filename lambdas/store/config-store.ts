import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Config, defaultConfig } from '../domain/config.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

const withDefaults = (item: Record<string, unknown> | undefined): Config => {
  const { pk: _pk, sk: _sk, ...stored } = item ?? {};
  return { ...defaultConfig, ...(stored as Partial<Config>) };
};

/** The whole configuration, defaults filled in for what was never set. */
export async function getConfig(): Promise<Config> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.config(), ConsistentRead: true }),
  );
  return withDefaults(result.Item);
}

/**
 * Sets only the fields given (one UpdateItem, so concurrent partial updates of different fields
 * never undo each other) and returns the configuration now in force.
 */
export async function updateConfig(update: Partial<Config>): Promise<Config> {
  const fields = Object.entries(update).filter(([, value]) => value !== undefined);
  if (fields.length === 0) return getConfig();
  const result = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.config(),
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        fields.map(([, value], i) => [`:v${i}`, value]),
      ),
      ReturnValues: 'ALL_NEW',
    }),
  );
  return withDefaults(result.Attributes);
}
