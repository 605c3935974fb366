import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from '../console/build.js';
import {
  malformedSecretsMessage,
  parseSigningSecrets,
} from '../lambdas/ingestion/signing-secrets.js';
import { env } from '../lambdas/system.js';
import { type LocalSecrets, loadOrCreateSecrets } from './secrets.js';
import { settingsFromEnvironment } from './settings.js';
import { type LocalSystem, startLocalSystem } from './system.js';

/**
 * `npm start`: the whole of Flywheel on this machine, on embedded stand-ins (SPEC §6).
 * Data lives under FLYWHEEL_DATA_DIR and survives restarts; Ctrl-C stops everything cleanly.
 */
export async function start(): Promise<LocalSystem> {
  const started = Date.now();
  // Node 20 is supported by the pinned SDK; its notice about future releases is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const settings = settingsFromEnvironment();
  const secrets = loadOrCreateSecrets(settings.dataDir);
  warnOfMalformedSecrets(secrets);
  process.env.POWERTOOLS_DEV ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  console.log('Starting Flywheel locally…');
  // The console is built from source at every start (SPEC §12: never a committed bundle).
  const built = await buildConsole(fileURLToPath(new URL('../console/dist/', import.meta.url)));
  const system = await startLocalSystem({
    port: settings.port,
    dynamoDb: { port: settings.dynamoDbPort, path: join(settings.dataDir, 'dynamodb') },
    ses: { port: settings.sesPort },
    tablePrefix: 'flywheel-',
    secrets,
    scheduleTimeZone: settings.scheduleTimeZone,
    runSchedules: true,
    onRequest: (line) => console.log(line),
    consoleAssets: built.dir,
  });
  // The console's session cookie belongs to one host name: use this one throughout.
  const consoleUrl = `http://localhost:${new URL(system.apiUrl).port}/console/`;
  const next = system.scheduler.nextRuns();
  console.log(`
Flywheel is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API        ${system.apiUrl}   (try ${system.apiUrl}/health)
  Console    ${consoleUrl}   (sign in with the admin token below or a personal token)
  Mailbox    ${system.sesEndpoint}/   (as JSON: ${system.sesEndpoint}/store)
  DynamoDB   ${system.dynamoDbEndpoint}   (table ${system.tableNames.main})
  Data       ${settings.dataDir}

  Admin token        ${secrets.adminToken}
  Telemetry secret   ${secrets.telemetrySecret}
  Community secret   ${secrets.communitySecret}

  GitHub webhook     ${system.apiUrl}/webhooks/github   (secret ${secrets.githubSecret})
  Discourse webhook  ${system.apiUrl}/webhooks/discourse   (secret ${secrets.discourseSecret})

  Schedules (${settings.scheduleTimeZone}): daily next ${next.daily}, monthly next ${next.monthly}
  Fire one now:  curl -X POST ${system.apiUrl}/_local/schedules/daily

Press Ctrl-C to stop.
`);
  return system;
}

/** Says once, at start, which signing secret of a rotation list will be ignored (SPEC §2). */
function warnOfMalformedSecrets(secrets: LocalSecrets): void {
  for (const name of ['telemetrySecret', 'communitySecret'] as const) {
    const { malformed } = parseSigningSecrets(secrets[name]);
    if (malformed.length > 0)
      console.warn(`Warning: ${malformedSecretsMessage(env.secret[name], malformed)}`);
  }
}

/** Stops on the first Ctrl-C or SIGTERM; a second one forces the exit. */
function stopOnSignals(system: LocalSystem): void {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nStopping Flywheel…');
    await system.stop();
    console.log('Stopped. Data kept; run `npm start` to resume.');
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  start().then(stopOnSignals, (error: Error) => {
    console.error(`Flywheel could not start: ${error.message}`);
    process.exit(1);
  });
}
