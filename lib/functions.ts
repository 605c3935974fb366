import { createRequire } from 'node:module';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  type ICommandHooks,
  LogLevel,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { reportAssetFiles, reportAssetSources } from '../lambdas/report/assets.js';
import {
  env,
  type FunctionName,
  type FunctionSpec,
  functions,
  heapMbOf,
  type SecretName,
} from '../lambdas/system.js';
import { type BundleSettings, bundleSettings, repositoryRoot } from './bundling.js';

const require = createRequire(import.meta.url);

/**
 * resvg-wasm has no system fonts and loads its wasm from a file: the report function's bundle gets
 * both beside it, under the names `lambdas/report/assets.ts` looks for (local bundling, no Docker).
 */
const copyReportAssets: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir: string, outputDir: string) =>
    (Object.keys(reportAssetFiles) as (keyof typeof reportAssetFiles)[]).map(
      (name) =>
        `cp "${require.resolve(reportAssetSources[name])}" "${outputDir}/${reportAssetFiles[name]}"`,
    ),
};

/**
 * The console function ships the built console beside its bundle, in `console/` (where
 * `lambdas/console/console-files.ts` looks): esbuild builds it right after the function's own
 * bundle, so the page is built by `cdk synth` like the code and never committed.
 */
const buildConsoleBeside: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir: string, outputDir: string) => [
    `"${process.execPath}" --import tsx "${repositoryRoot}console/build.ts" "${outputDir}/console"`,
  ],
};

/** `NodejsFunction`'s spelling of the shared bundle settings. */
function nodejsBundling(settings: BundleSettings) {
  return {
    format: OutputFormat.ESM,
    target: settings.target,
    mainFields: [...settings.mainFields],
    minify: settings.minify,
    sourceMap: settings.sourcemap,
    banner: settings.banner,
    // Bundle the AWS SDK rather than rely on the runtime's copy: the version we test is the
    // version that runs, and tree-shaking keeps it small.
    externalModules: [...settings.external],
    define: { ...settings.define },
    esbuildArgs: Object.fromEntries(
      Object.entries(settings.alias).map(([from, to]) => [`--alias:${from}`, to]),
    ),
  };
}

export interface FlywheelFunctionsProps {
  /** The `main` table: the one `env.table` names and the declaration's `table` access means. */
  readonly table: Table;
  readonly secrets: Record<SecretName, Secret>;
  /** Verified SES sender address, handed to functions that send mail. */
  readonly reportSender: string;
  /** SES identity (domain or address) that mail-sending functions may send as, and nothing else. */
  readonly reportSenderIdentity: string;
}

/**
 * One Lambda function per entry of `functions` in `lambdas/system.ts`, each allowed exactly what its
 * entry declares: table read or read-write, the listed secrets, and SES sending as the report
 * identity only when `sendsEmail`. What a function may start is granted by `state-machines.ts`.
 */
export class FlywheelFunctions extends Construct {
  readonly byName: Record<FunctionName, NodejsFunction>;

  constructor(scope: Construct, id: string, props: FlywheelFunctionsProps) {
    super(scope, id);
    const names = Object.keys(functions) as FunctionName[];
    this.byName = Object.fromEntries(
      names.map((name) => [name, this.createFunction(name, functions[name], props)]),
    ) as Record<FunctionName, NodejsFunction>;
  }

  private createFunction(
    name: FunctionName,
    spec: FunctionSpec,
    { table, secrets, reportSender, reportSenderIdentity }: FlywheelFunctionsProps,
  ): NodejsFunction {
    const scope = new Construct(this, name);
    // An own log group, so logs expire instead of being kept (and paid for) forever.
    const logGroup = new LogGroup(scope, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role that may write to that log group only, where AWSLambdaBasicExecutionRole would
    // allow creating and writing any log group of the account.
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Flywheel ${name} function`,
    });
    logGroup.grantWrite(role);

    const fn = new NodejsFunction(scope, 'Function', {
      entry: `${repositoryRoot}${spec.entry}`,
      handler: 'handler',
      description: spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup,
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      environment: {
        POWERTOOLS_SERVICE_NAME: name,
        NODE_OPTIONS: `--max-old-space-size=${heapMbOf(spec.memoryMb)}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
        // Only functions that touch the table learn its name.
        ...(spec.tableActions.length > 0 ? { [env.table]: table.tableName } : {}),
        ...Object.fromEntries(spec.secrets.map((s) => [env.secretArn[s], secrets[s].secretArn])),
        ...(spec.sendsEmail ? { [env.reportSender]: reportSender } : {}),
      },
      bundling: {
        ...nodejsBundling(bundleSettings(spec)),
        logLevel: LogLevel.ERROR,
        ...(spec.rendersCharts ? { commandHooks: copyReportAssets } : {}),
        ...(spec.servesConsole ? { commandHooks: buildConsoleBeside } : {}),
      },
    });

    // Exactly the table actions the function's code uses, on the table and (only when it
    // queries one) its indexes: no broad grantReadWriteData.
    // A function without table actions (the OpenAPI document) gets no table access at all.
    if (spec.tableActions.length > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: spec.tableActions.map((action) => `dynamodb:${action}`),
          resources: [
            table.tableArn,
            ...(spec.queriesIndexes ? [`${table.tableArn}/index/*`] : []),
          ],
        }),
      );
    }
    for (const secret of spec.secrets) secrets[secret].grantRead(fn);
    if (spec.sendsEmail) this.allowSendingAs(fn, reportSenderIdentity);

    if (spec.queriesIndexes) {
      const tableId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason:
          'Queries on gsi1: the wildcard matches only the indexes of this one table, all of them ' +
          'declared in lambdas/system.ts; the actions are the few this function uses.',
      });
    }
    return fn;
  }

  /**
   * SES checks sending against the identity of the From address (the address identity when it is
   * verified itself, else its domain's); the policy names that one identity, not `*`.
   */
  private allowSendingAs(fn: NodejsFunction, identity: string): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'identity',
            resourceName: identity,
          }),
        ],
      }),
    );
  }
}
