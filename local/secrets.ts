import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, type SecretName } from '../lambdas/system.js';

export type LocalSecrets = Record<SecretName, string>;

const generators: Record<SecretName, () => string> = {
  adminToken: () => randomBytes(24).toString('base64url'),
  telemetrySecret: () => `whsec_${randomBytes(32).toString('base64')}`,
  communitySecret: () => `whsec_${randomBytes(32).toString('base64')}`,
  // Plain strings, as GitHub's and Discourse's webhook settings take them (SPEC §11).
  githubSecret: () => randomBytes(32).toString('hex'),
  discourseSecret: () => randomBytes(32).toString('hex'),
  sessionSecret: () => randomBytes(32).toString('base64url'),
};

/** Fresh secrets of every kind, e.g. for a test system or a load run of its own. */
export const generateSecrets = (): LocalSecrets => ({
  adminToken: generators.adminToken(),
  telemetrySecret: generators.telemetrySecret(),
  communitySecret: generators.communitySecret(),
  githubSecret: generators.githubSecret(),
  discourseSecret: generators.discourseSecret(),
  sessionSecret: generators.sessionSecret(),
});

/**
 * The secrets local mode runs with: the environment's when set, else the ones generated on first run
 * and kept in `<dataDir>/secrets.json` (readable by the owner only), so clients keep working across
 * restarts.
 */
export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'secrets.json');
  const kept: Partial<LocalSecrets> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {};
  const names = Object.keys(generators) as SecretName[];
  const secrets = Object.fromEntries(
    names.map((name) => [name, process.env[env.secret[name]] || kept[name] || generators[name]()]),
  ) as LocalSecrets;
  // Secrets given by the environment are not written to disk; generated ones are.
  const toKeep = Object.fromEntries(
    names.map((name) => [
      name,
      kept[name] ?? (process.env[env.secret[name]] ? undefined : secrets[name]),
    ]),
  );
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(toKeep, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
