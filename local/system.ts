import { createServer, type Server } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  env,
  type FunctionName,
  type ScheduleName,
  type StateMachineName,
  schedules,
  stateMachines,
  type tables,
} from '../lambdas/system.js';
import { ensureTables, localClient, startDynamoDb } from './dynamodb.js';
import {
  matchRoute,
  readRequestBody,
  toApiGatewayEvent,
  unmatchedRoute,
  writeJson,
  writeResult,
} from './http-gateway.js';
import { invokeFunction } from './lambda-runtime.js';
import { type LocalScheduler, startScheduler } from './scheduler.js';
import type { LocalSecrets } from './secrets.js';
import { startSes } from './ses.js';
import { type LocalExecution, localStateMachineArn, startStepFunctions } from './step-functions.js';

export interface LocalSystemOptions {
  /** API port; 0 picks a free one. */
  readonly port: number;
  /** An already running DynamoDB Local, or where to start one (on disk when `path` is given). */
  readonly dynamoDb: { endpoint: string } | { port: number; path?: string };
  readonly ses: { endpoint: string } | { port: number };
  readonly tablePrefix: string;
  readonly secrets: LocalSecrets;
  readonly scheduleTimeZone: string;
  /** Fire schedules by their cron; off in tests, which fire them explicitly. */
  readonly runSchedules: boolean;
  readonly onRequest?: (line: string) => void;
  /** The built console (`console/build.ts`) the console function serves; without it, a 503. */
  readonly consoleAssets?: string;
}

export interface LocalSystem {
  readonly apiUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly sesEndpoint: string;
  readonly tableNames: Record<keyof typeof tables, string>;
  readonly scheduler: LocalScheduler;
  invoke(fn: FunctionName, event: unknown): Promise<unknown>;
  /** The state machine executions started so far (recalculation jobs), oldest first. */
  executions(): LocalExecution[];
  stop(): Promise<void>;
}

/**
 * Brings the whole system up on this machine: DynamoDB Local, the SES stand-in, the declared tables,
 * Step Functions' StartExecution (running the declared state machines), the API Gateway stand-in
 * and the scheduler. Handlers run unchanged
 * and reach the stand-ins only through the SDK's endpoint variables.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  try {
    const dynamoDb =
      'endpoint' in options.dynamoDb ? options.dynamoDb : await startDynamoDb(options.dynamoDb);
    if ('stop' in dynamoDb) stops.push(dynamoDb.stop);
    const ses = 'endpoint' in options.ses ? options.ses : await startSes(options.ses);
    if ('stop' in ses) stops.push(ses.stop);
    const client = localClient(dynamoDb.endpoint);
    const tableNames = await ensureTables(client, options.tablePrefix);
    client.destroy();
    const stepFunctions = await startStepFunctions(invokeFunction);
    stops.push(stepFunctions.stop);
    setHandlerEnvironment({
      dynamoDbEndpoint: dynamoDb.endpoint,
      sesEndpoint: ses.endpoint,
      stepFunctionsEndpoint: stepFunctions.endpoint,
      table: tableNames.main,
      secrets: options.secrets,
      ...(options.consoleAssets ? { consoleAssets: options.consoleAssets } : {}),
    });
    const scheduler = startScheduler(options.scheduleTimeZone, async (schedule) => {
      await invokeFunction(schedule.function, { schedule: schedule.name });
    });
    if (!options.runSchedules) scheduler.stop();
    stops.push(() => scheduler.stop());
    const server = createApiServer(scheduler, options.onRequest);
    const apiUrl = await listen(server, options.port);
    stops.push(() => new Promise<void>((done) => server.close(() => done())));
    return {
      apiUrl,
      dynamoDbEndpoint: dynamoDb.endpoint,
      sesEndpoint: ses.endpoint,
      tableNames,
      scheduler,
      invoke: invokeFunction,
      executions: stepFunctions.executions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function setHandlerEnvironment(values: {
  dynamoDbEndpoint: string;
  sesEndpoint: string;
  stepFunctionsEndpoint: string;
  table: string;
  secrets: LocalSecrets;
  consoleAssets?: string;
}): void {
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION || 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: values.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SESV2: values.sesEndpoint,
    AWS_ENDPOINT_URL_SFN: values.stepFunctionsEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [env.table]: values.table,
    [env.secret.adminToken]: values.secrets.adminToken,
    [env.secret.telemetrySecret]: values.secrets.telemetrySecret,
    [env.secret.communitySecret]: values.secrets.communitySecret,
    [env.secret.githubSecret]: values.secrets.githubSecret,
    [env.secret.discourseSecret]: values.secrets.discourseSecret,
    [env.secret.sessionSecret]: values.secrets.sessionSecret,
    ...Object.fromEntries(
      (Object.keys(stateMachines) as StateMachineName[]).map((name) => [
        env.stateMachineArn(name),
        localStateMachineArn(name),
      ]),
    ),
    ...(values.consoleAssets ? { [env.consoleAssets]: values.consoleAssets } : {}),
  });
}

const schedulePath = /^\/_local\/schedules\/([a-z]+)$/;

/** Serves the declared routes like API Gateway, plus `POST /_local/schedules/{name}` to fire one. */
function createApiServer(scheduler: LocalScheduler, onRequest?: (line: string) => void): Server {
  return createServer(async (req, res) => {
    const started = Date.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.on('finish', () =>
      onRequest?.(`${req.method} ${path} ${res.statusCode} ${Date.now() - started}ms`),
    );
    try {
      const schedule = schedulePath.exec(path)?.[1];
      if (schedule !== undefined && req.method === 'POST') {
        if (!schedules.some((s) => s.name === schedule)) {
          return writeJson(res, 404, { error: `No schedule named ${schedule}` });
        }
        await scheduler.fire(schedule as ScheduleName);
        return writeJson(res, 200, { fired: schedule });
      }
      const matched = matchRoute(req.method ?? 'GET', path);
      const body = await readRequestBody(req);
      if (!body) return writeJson(res, 413, { error: 'The body is larger than 10 MiB' });
      const event = toApiGatewayEvent(req, body, matched);
      const fn = matched?.route.function ?? unmatchedRoute.function;
      const result = await invokeFunction(fn, event);
      writeResult(res, result as APIGatewayProxyStructuredResultV2);
    } catch (error) {
      console.error(`${req.method} ${path} failed in the handler:`, error);
      if (!res.headersSent) writeJson(res, 500, { error: 'Internal error in local mode' });
    }
  });
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
    });
  });
}
