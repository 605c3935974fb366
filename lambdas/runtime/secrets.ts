import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { env, type SecretName } from '../system.js';

/** Secrets Manager values are cached this long, so a rotated secret takes effect within minutes. */
const cacheSeconds = 300;

/**
 * A secret's value: locally straight from the environment, on AWS from Secrets Manager through the
 * ARN the stack puts in the environment. Values may hold several space-separated secrets (rotation).
 */
export async function secretValue(name: SecretName): Promise<string> {
  const direct = process.env[env.secret[name]];
  if (direct) return direct;
  const arn = process.env[env.secretArn[name]];
  if (!arn) {
    throw new Error(`Set ${env.secret[name]} (locally) or ${env.secretArn[name]} (on AWS)`);
  }
  const value = await getSecret(arn, { maxAge: cacheSeconds });
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`Secret ${arn} is empty: put the value of ${env.secret[name]} in it`);
  }
  return value.trim();
}
