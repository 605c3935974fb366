import { resolve } from 'node:path';

/** Local mode's settings, from the environment of SPEC §6, with its defaults. */
export interface LocalSettings {
  readonly port: number;
  readonly sesPort: number;
  readonly dynamoDbPort: number;
  readonly dataDir: string;
  /** Time zone the local scheduler fires in; the stack's equivalent is the `timezone` context. */
  readonly scheduleTimeZone: string;
}

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name}=${raw} is not a port number (0–65535)`);
  }
  return port;
}

export function settingsFromEnvironment(): LocalSettings {
  return {
    port: portFrom('PORT', 3000),
    sesPort: portFrom('FLYWHEEL_SES_PORT', 8005),
    dynamoDbPort: portFrom('FLYWHEEL_DYNAMODB_PORT', 8000),
    dataDir: resolve(process.env.FLYWHEEL_DATA_DIR || '.flywheel'),
    scheduleTimeZone: process.env.FLYWHEEL_SCHEDULE_TIMEZONE || 'UTC',
  };
}
