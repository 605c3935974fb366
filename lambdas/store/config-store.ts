import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Config, defaultConfig } from '../domain/config.js';
import { ConflictError } from '../domain/errors.js';
import { type AuditEntry, ChangeConflict, writeAudited } from './audit-store.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

interface StoredConfig {
  readonly config: Config;
  /** Bumped by every write: an update applies only to the version it was checked against. */
  readonly version: number;
}

async function readConfig(): Promise<StoredConfig> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.config(), ConsistentRead: true }),
  );
  const { pk: _pk, sk: _sk, version = 0, ...stored } = result.Item ?? {};
  return {
    config: { ...defaultConfig, ...(stored as Partial<Config>) },
    version: version as number,
  };
}

/** The whole configuration, defaults filled in for what was never set. */
export async function getConfig(): Promise<Config> {
  return (await readConfig()).config;
}

const attempts = 5;

/**
 * Applies a partial update, checked by `validate` against the configuration it will produce, and
 * returns `{ before, after }`. The write is conditional on the version read, so two concurrent
 * updates can neither undo each other's fields nor together break a rule each checked alone
 * (e.g. nearKaThreshold ≤ kaThreshold): the later one is re-read and re-checked. The write and its
 * audit entry (SPEC §8) are one transaction.
 */
export async function updateConfig(
  update: Partial<Config>,
  validate: (next: Config) => void,
  audit: (before: Config, after: Config) => AuditEntry,
): Promise<{ before: Config; after: Config }> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { config: before, version } = await readConfig();
    const after = { ...before, ...update };
    validate(after);
    try {
      await writeAudited(
        [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.config(), ...after, version: version + 1 },
              ConditionExpression: 'attribute_not_exists(version) OR version = :read',
              ExpressionAttributeValues: { ':read': version },
            },
          },
        ],
        audit(before, after),
      );
      return { before, after };
    } catch (error) {
      if (!(error instanceof ChangeConflict)) throw error;
    }
  }
  throw new ConflictError('The configuration is being changed by others right now; retry');
}
