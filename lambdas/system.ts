import type { Role } from './domain/roles.js';

/**
 * The one declaration of Flywheel's moving parts: functions, HTTP routes, schedules and tables.
 * The CDK stack (`lib/`) and local mode (`local/`) both build from it, so they cannot drift.
 * Nothing here imports AWS or Node: it is plain data.
 */

/**
 * A secret a function needs; on AWS it lives in Secrets Manager, locally in the environment.
 * `sessionSecret` signs the console's session cookies (SPEC §12): changing it ends every session.
 */
export type SecretName =
  | 'adminToken'
  | 'telemetrySecret'
  | 'communitySecret'
  | 'githubSecret'
  | 'discourseSecret'
  | 'sessionSecret';

/** The webhook sources (SPEC §2, §11), by the name their rejected items are kept under. */
export const webhookSources = ['telemetry', 'community', 'github', 'discourse'] as const;
export type WebhookSourceName = (typeof webhookSources)[number];

/** DynamoDB actions a function may be granted. */
export type TableAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan'
  | 'BatchWriteItem'
  | 'BatchGetItem';

/** Recomputing months: reads every fact and month value, rewrites results in batches. */
const recomputation: readonly TableAction[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'Query',
  'Scan', // rebuilding month values from all snapshot facts after a zone change
  'BatchWriteItem',
];

/** One Lambda function per job. */
export type FunctionName =
  | 'api'
  | 'ingest'
  | 'recalculate'
  | 'daily'
  | 'report'
  | 'docs'
  | 'console';

export interface FunctionSpec {
  /** Source file of the handler, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /**
   * The DynamoDB actions the function's code uses (see the commands in `lambdas/store/`): the stack
   * grants exactly these, on the table — and on its indexes only when `queriesIndexes`.
   */
  readonly tableActions: readonly TableAction[];
  readonly queriesIndexes: boolean;
  readonly secrets: readonly SecretName[];
  /** State machines this one starts (e.g. the API queueing a recalculation job). */
  readonly startsExecutions: readonly StateMachineName[];
  /** Whether it sends mail through SES (restricted to the configured sender identity). */
  readonly sendsEmail: boolean;
  /** Whether it renders report charts: resvg's wasm and the fonts ship beside its bundle. */
  readonly rendersCharts: boolean;
  /** Whether it serves the console (SPEC §12): the built assets ship beside its bundle. */
  readonly servesConsole: boolean;
}

/**
 * The memory of the functions that run a recalculation (MB). A run holds every member of the
 * community (SPEC §1): `npm run bench:members` measured the heap it needs at ~1.2 KB an activity
 * stored when it resolves every activity (a first run, a zone change) and ~0.9 KB from the member
 * index, three activities a member. 5 GB (a heap of 85 %, `heapMbOf`) holds issue #17's 3 M
 * activities a year with a fifth to spare, beside 1 M clusters' months of values (~1.2 GB);
 * Lambda allows up to 10,240.
 */
const communityRunMemoryMb = 5120;

/**
 * The V8 heap a function may use (`--max-old-space-size`, MB): 85 % of its memory. V8's own default
 * is a quarter of the machine's memory, which would leave most of a large function unused.
 */
export const heapMbOf = (memoryMb: number): number => Math.floor(memoryMb * 0.85);

export const functions = {
  api: {
    entry: 'lambdas/handlers/api.ts',
    description: 'Admin and read API (config, mappings, metrics, evangelists, jobs, evidence)',
    memoryMb: 512,
    timeoutSeconds: 29,
    // BatchGetItem: evidence reads fetch one cluster's month values by key (SPEC §7).
    tableActions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem'],
    queriesIndexes: true,
    secrets: ['adminToken', 'sessionSecret'],
    startsExecutions: ['recalculation'],
    sendsEmail: false,
    rendersCharts: false,
    servesConsole: false,
  },
  ingest: {
    entry: 'lambdas/handlers/ingest.ts',
    description: 'Signed webhooks: telemetry, community, GitHub and Discourse',
    memoryMb: 1024,
    timeoutSeconds: 29,
    tableActions: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriesIndexes: false,
    secrets: ['telemetrySecret', 'communitySecret', 'githubSecret', 'discourseSecret'],
    startsExecutions: [],
    sendsEmail: false,
    rendersCharts: false,
    servesConsole: false,
  },
  recalculate: {
    entry: 'lambdas/handlers/recalculate.ts',
    description: 'Recalculation job: one run of months of a range, chained by its state machine',
    memoryMb: communityRunMemoryMb,
    timeoutSeconds: 900,
    tableActions: recomputation,
    queriesIndexes: true,
    secrets: [],
    startsExecutions: [],
    sendsEmail: false,
    rendersCharts: false,
    servesConsole: false,
  },
  daily: {
    entry: 'lambdas/handlers/daily.ts',
    description: 'Daily schedule: recompute the current month and every month marked dirty',
    memoryMb: communityRunMemoryMb,
    timeoutSeconds: 900,
    tableActions: recomputation,
    queriesIndexes: true,
    secrets: [],
    startsExecutions: ['recalculation'],
    sendsEmail: false,
    rendersCharts: false,
    servesConsole: false,
  },
  report: {
    entry: 'lambdas/handlers/report.ts',
    description: 'Monthly report: render, serve and mail it exactly once',
    memoryMb: 1024,
    timeoutSeconds: 120,
    tableActions: [...recomputation, 'DeleteItem'],
    queriesIndexes: true,
    secrets: ['adminToken', 'sessionSecret'],
    // The monthly schedule recomputes the touched months as a job, whose last task mails the report.
    startsExecutions: ['recalculation'],
    sendsEmail: true,
    rendersCharts: true,
    servesConsole: false,
  },
  console: {
    entry: 'lambdas/handlers/console.ts',
    description: 'The console’s files (SPEC §12)',
    memoryMb: 256,
    timeoutSeconds: 5,
    // No data at all: the page calls the API, whose functions check its session cookie.
    tableActions: [],
    queriesIndexes: false,
    secrets: [],
    startsExecutions: [],
    sendsEmail: false,
    rendersCharts: false,
    servesConsole: true,
  },
  docs: {
    entry: 'lambdas/handlers/docs.ts',
    description: "The API's OpenAPI document, generated from the route schemas",
    // Its own function: the document's generator and every route's schemas stay out of the api
    // function's bundle and cold start.
    memoryMb: 512,
    timeoutSeconds: 10,
    tableActions: [],
    queriesIndexes: false,
    secrets: [],
    startsExecutions: [],
    sendsEmail: false,
    rendersCharts: false,
    servesConsole: false,
  },
} as const satisfies Record<FunctionName, FunctionSpec>;

/** Orchestrations AWS runs for Flywheel: Step Functions state machines. */
export type StateMachineName = 'recalculation';

export interface StateMachineSpec {
  readonly description: string;
  /**
   * The functions its tasks invoke, in the order they first run: the stack lets the machine invoke
   * these and no other, and the definition is given their ARNs.
   */
  readonly functions: readonly FunctionName[];
  /**
   * Months recomputed in one run of the function: a long range is split into runs of this many
   * consecutive months, chained in order, so that no run nears the function's timeout (a month
   * at 1M clusters is estimated at 140–230 s at most from the bench; README "One month at larger
   * scale").
   */
  readonly monthsPerRun: number;
  /** The whole execution's limit. */
  readonly timeoutSeconds: number;
  /**
   * Scan segments (key ranges) a rebuild of month values after a zone change is split into, one
   * task each: at 1M clusters and 36 months (~1.1 billion snapshot facts, 36 M month values) a
   * segment is ~4.3 M facts and ~140,000 month-value writes, a few minutes (README "Zone change").
   */
  readonly rebuildSegments: number;
  /** How many tasks of a rebuild run at once: bounds the write rate the table sees. */
  readonly rebuildConcurrency: number;
}

/**
 * A recalculation job (SPEC §3 `POST /admin/recalculate`, the daily run when it has more than one
 * run of months to do, and the monthly report's finalisation, SPEC §4) is an execution of
 * `recalculation`: runs of consecutive months, oldest first, each one invocation of `recalculate`,
 * then the job's outcome — and, for the monthly schedule, the month's report mailed by `report`.
 */
export const stateMachines = {
  recalculation: {
    description:
      'Recalculation job: consecutive runs of months, oldest first, then the outcome and the report',
    functions: ['recalculate', 'report'],
    monthsPerRun: 3,
    timeoutSeconds: 24 * 3600,
    rebuildSegments: 256,
    rebuildConcurrency: 16,
  },
} as const satisfies Record<StateMachineName, StateMachineSpec>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. `public`: anyone; `webhook`: verified by the handler against the source's
 * signing secret; `console`: the console's static files, to anyone (SPEC §3, §12); `session`:
 * signing in or out of the console, the handler checking the token it is given (SPEC §12); a role
 * (SPEC §8: `viewer` < `reviewer` < `admin`): a bearer token — the bootstrap `FLYWHEEL_ADMIN_TOKEN`
 * (admin) or a personal token — or a console session cookie naming one, whose role includes it,
 * checked by the function so that a missing or unknown token answers 401 and a too-low role 403.
 */
export type Access = 'public' | 'webhook' | 'console' | 'session' | Role;

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway form: `/metrics/ka/{month}/accounts`; `{proxy+}` (last) takes the rest. */
  readonly path: `/${string}`;
  readonly function: FunctionName;
  readonly access: Access;
}

/** Every route of SPEC §3 and §8 and the webhooks of SPEC §2 and §11, each with who may call it. */
export const routes = [
  { method: 'GET', path: '/health', function: 'api', access: 'public' },
  { method: 'POST', path: '/webhooks/telemetry', function: 'ingest', access: 'webhook' },
  { method: 'POST', path: '/webhooks/community', function: 'ingest', access: 'webhook' },
  // SPEC §11: the senders' own formats, each verified against its own secret.
  { method: 'POST', path: '/webhooks/github', function: 'ingest', access: 'webhook' },
  { method: 'POST', path: '/webhooks/discourse', function: 'ingest', access: 'webhook' },
  { method: 'GET', path: '/metrics/ka', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/metrics/ka/{month}/accounts', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/evangelists', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/admin/config', function: 'api', access: 'viewer' },
  { method: 'PUT', path: '/admin/config', function: 'api', access: 'admin' },
  { method: 'GET', path: '/admin/programs/{year}', function: 'api', access: 'viewer' },
  { method: 'PUT', path: '/admin/programs/{year}', function: 'api', access: 'admin' },
  { method: 'PUT', path: '/admin/accounts/{accountId}', function: 'api', access: 'admin' },
  { method: 'PUT', path: '/admin/clusters/{clusterId}', function: 'api', access: 'admin' },
  { method: 'POST', path: '/admin/members/merge', function: 'api', access: 'reviewer' },
  { method: 'PATCH', path: '/admin/activities/{activityId}', function: 'api', access: 'reviewer' },
  { method: 'POST', path: '/admin/recalculate', function: 'api', access: 'admin' },
  { method: 'GET', path: '/admin/jobs/{jobId}', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/admin/rejections', function: 'api', access: 'admin' },
  // SPEC §8: personal tokens and the audit log.
  { method: 'POST', path: '/admin/tokens', function: 'api', access: 'admin' },
  { method: 'GET', path: '/admin/tokens', function: 'api', access: 'admin' },
  { method: 'DELETE', path: '/admin/tokens/{tokenId}', function: 'api', access: 'admin' },
  { method: 'GET', path: '/admin/audit', function: 'api', access: 'admin' },
  { method: 'GET', path: '/reports/{month}', function: 'report', access: 'viewer' },
  { method: 'POST', path: '/admin/reports/{month}/send', function: 'report', access: 'admin' },
  // Evidence (SPEC §7), read by viewers (§8), and the API's own description.
  { method: 'GET', path: '/accounts', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/accounts/{accountId}', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/clusters', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/clusters/{clusterId}', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/members', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/members/{member}', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/activities', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/admin/jobs', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/openapi.json', function: 'docs', access: 'public' },
  // Corrections that lose nothing (SPEC §9).
  { method: 'POST', path: '/admin/members/split', function: 'api', access: 'reviewer' },
  { method: 'PUT', path: '/admin/members/{member}/affiliations', function: 'api', access: 'admin' },
  { method: 'POST', path: '/admin/accounts/merge', function: 'api', access: 'admin' },
  {
    method: 'DELETE',
    path: '/admin/accounts/{accountId}/aliases/{alias}',
    function: 'api',
    access: 'admin',
  },
  { method: 'GET', path: '/admin/changes', function: 'api', access: 'viewer' },
  // Growth analytics (SPEC §10), read by viewers.
  { method: 'GET', path: '/metrics/nodes/bridge', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/metrics/cohorts', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/metrics/forecast', function: 'api', access: 'viewer' },
  { method: 'GET', path: '/alerts', function: 'api', access: 'viewer' },
  // The console (SPEC §12): its files, and a session cookie in exchange for a token. Who is
  // signed in, with which role, is a GET like any other, so the page hides what the role may not do.
  { method: 'GET', path: '/console', function: 'console', access: 'console' },
  { method: 'GET', path: '/console/{proxy+}', function: 'console', access: 'console' },
  { method: 'POST', path: '/console/session', function: 'api', access: 'session' },
  { method: 'DELETE', path: '/console/session', function: 'api', access: 'session' },
  { method: 'GET', path: '/console/session', function: 'api', access: 'viewer' },
] as const satisfies readonly RouteSpec[];

/**
 * Where a request that matches no route goes: API Gateway's `$default` route, to this function,
 * which answers SPEC §3's JSON 404 — API Gateway's own `{"message":"Not Found"}` never reaches a
 * client. Local mode sends unmatched requests the same way.
 */
export const unmatchedRouteKey = '$default';
export const unmatchedRoutesFunction: FunctionName = 'api';

export type Route = (typeof routes)[number];
/** `"GET /admin/config"`, the API Gateway route key. */
export type RouteKey = `${Route['method']} ${Route['path']}`;

export const routeKey = (route: RouteSpec): RouteKey => `${route.method} ${route.path}` as RouteKey;

export const routesOf = (fn: FunctionName): readonly Route[] =>
  routes.filter((route) => route.function === fn);

/** Cron fields in EventBridge Scheduler's order; evaluated in the reporting time zone. */
export interface CronSpec {
  readonly minute: string;
  readonly hour: string;
  readonly day: string;
  readonly month: string;
  readonly weekDay: string;
}

export type ScheduleName = 'daily' | 'monthly';

export interface ScheduleSpec {
  readonly name: ScheduleName;
  readonly description: string;
  readonly cron: CronSpec;
  readonly function: FunctionName;
}

/** SPEC §4. The payload each target receives is `{ "schedule": name }`. */
export const schedules = [
  {
    name: 'daily',
    description: 'Recompute the current month and every month touched since its last computation',
    cron: { minute: '0', hour: '2', day: '*', month: '*', weekDay: '?' },
    function: 'daily',
  },
  {
    name: 'monthly',
    description: 'Finalise the previous month and mail its report, once',
    cron: { minute: '0', hour: '8', day: '1', month: '*', weekDay: '?' },
    function: 'report',
  },
] as const satisfies readonly ScheduleSpec[];

export interface TableSpec {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly timeToLiveAttribute: string;
  readonly globalIndexes: readonly { indexName: string; partitionKey: string; sortKey: string }[];
}

/**
 * One table holds facts and derived data under distinct key prefixes (see `lambdas/store/keys.ts`);
 * `gsi1` serves lookups by a second key (e.g. months marked dirty, identities of a member); `gsi2`
 * holds only the content waiting for review, so the review queue reads what it lists.
 */
export const tables = {
  main: {
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    globalIndexes: [
      { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // Sparse: only content waiting for review carries its keys (SPEC §7 review queue).
      { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    ],
  },
} as const satisfies Record<string, TableSpec>;

/** Environment variables through which the shell hands configuration to every handler. */
export const env = {
  table: 'FLYWHEEL_TABLE',
  /** The deployment's verified sender, used when `reportSender` is not configured. */
  reportSender: 'FLYWHEEL_REPORT_SENDER',
  /** Locally the secret's value; on AWS the ARN of the Secrets Manager secret holding it. */
  secret: {
    adminToken: 'FLYWHEEL_ADMIN_TOKEN',
    telemetrySecret: 'FLYWHEEL_TELEMETRY_SECRET',
    communitySecret: 'FLYWHEEL_COMMUNITY_SECRET',
    githubSecret: 'FLYWHEEL_GITHUB_SECRET',
    discourseSecret: 'FLYWHEEL_DISCOURSE_SECRET',
    sessionSecret: 'FLYWHEEL_SESSION_SECRET',
  },
  secretArn: {
    adminToken: 'FLYWHEEL_ADMIN_TOKEN_ARN',
    telemetrySecret: 'FLYWHEEL_TELEMETRY_SECRET_ARN',
    communitySecret: 'FLYWHEEL_COMMUNITY_SECRET_ARN',
    githubSecret: 'FLYWHEEL_GITHUB_SECRET_ARN',
    discourseSecret: 'FLYWHEEL_DISCOURSE_SECRET_ARN',
    sessionSecret: 'FLYWHEEL_SESSION_SECRET_ARN',
  },
  /** Where the console function finds the built console; beside its bundle when unset. */
  consoleAssets: 'FLYWHEEL_CONSOLE_ASSETS',
  /** State machine → its ARN, for functions that start executions. */
  stateMachineArn: (name: StateMachineName): string =>
    `FLYWHEEL_STATE_MACHINE_${name.toUpperCase()}`,
} as const satisfies Record<string, unknown>;
