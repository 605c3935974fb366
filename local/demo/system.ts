import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, type SecretName } from '../../lambdas/system.js';
import type { LocalSecrets } from '../secrets.js';
import { settingsFromEnvironment } from '../settings.js';
import { DemoError } from './api.js';

/** The Flywheel the demo talks to: one already running, or one it started (and keeps running). */
export interface DemoTarget {
  readonly apiUrl: string;
  readonly sesEndpoint: string;
  readonly secrets: LocalSecrets;
  /** Set when the demo started Flywheel itself. */
  readonly stop?: () => Promise<void>;
  /** While it runs, the started system's request log is held back so the progress bars stay readable. */
  readonly showRequestLog: () => void;
}

async function answersHealth(apiUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(1500) });
    const body = (await response.json()) as { ok?: unknown };
    return response.ok && body.ok === true;
  } catch {
    return false;
  }
}

/** A running Flywheel's secrets: the environment's, else the ones it keeps in its data dir. */
function runningSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'secrets.json');
  const kept = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Partial<
    Record<SecretName, string>
  >;
  const names: SecretName[] = ['adminToken', 'telemetrySecret', 'communitySecret'];
  const missing = names.filter((name) => !(process.env[env.secret[name]] || kept[name]));
  if (missing.length > 0) {
    throw new DemoError(
      `a Flywheel is running but its ${missing.join(', ')} is not in ${file} nor in the environment`,
      `set ${missing.map((name) => env.secret[name]).join(', ')} to what \`npm start\` printed, or FLYWHEEL_DATA_DIR to its data dir`,
    );
  }
  return Object.fromEntries(
    names.map((name) => [name, process.env[env.secret[name]] || kept[name]]),
  ) as LocalSecrets;
}

/** Holds back `npm start`'s request lines (`POST /webhooks/telemetry 202 41ms`) until released. */
function holdRequestLog(): () => void {
  const log = console.log;
  const requestLine = /^(GET|POST|PUT|PATCH|DELETE) \/\S* \d{3} \d+ms$/;
  console.log = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && requestLine.test(args[0])) return;
    log(...args);
  };
  return () => {
    console.log = log;
  };
}

/** Uses the Flywheel answering on PORT, or starts one with `npm start`'s `start()`. */
export async function connect(): Promise<DemoTarget> {
  const settings = settingsFromEnvironment();
  const apiUrl = `http://127.0.0.1:${settings.port}`;
  if (await answersHealth(apiUrl)) {
    console.log(`Using the Flywheel already running at ${apiUrl}.`);
    return {
      apiUrl,
      sesEndpoint: `http://127.0.0.1:${settings.sesPort}`,
      secrets: runningSecrets(settings.dataDir),
      showRequestLog: () => {},
    };
  }
  // The handlers run in this process: their info logs would interleave with the progress bars.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const release = holdRequestLog();
  const { start } = await import('../start.js');
  const { loadOrCreateSecrets } = await import('../secrets.js');
  try {
    const system = await start();
    return {
      apiUrl: system.apiUrl,
      sesEndpoint: system.sesEndpoint,
      secrets: loadOrCreateSecrets(settings.dataDir),
      stop: () => system.stop(),
      showRequestLog: release,
    };
  } catch (error) {
    release();
    throw new DemoError(
      `Flywheel could not start: ${(error as Error).message}`,
      `free port ${settings.port} (or set PORT, FLYWHEEL_SES_PORT, FLYWHEEL_DYNAMODB_PORT) and check Java 17+ is installed`,
    );
  }
}
