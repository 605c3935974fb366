/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (`lib/bundling.ts`).
 * Lambda hands a function its role's credentials in the environment (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), valid as long as the execution environment, so
 * the default chain's SSO, profile, process, web-identity and instance-metadata providers — and
 * the STS and SSO clients they bring, ~100 KB of every bundle — are never used there.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init?: Init) => fromEnv(init);
export const credentialsWillNeedRefresh = (): boolean => false;
export const credentialsTreatedAsExpired = (): boolean => false;
