import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { stateMachineDefinitions } from '../../lambdas/orchestration/recalculation-machine.js';
import {
  env,
  type FunctionName,
  type FunctionSpec,
  functions,
  routeKey,
  routes,
  type SecretName,
  type StateMachineName,
  schedules,
  stateMachines,
  tables,
  unmatchedRouteKey,
  unmatchedRoutesFunction,
} from '../../lambdas/system.js';
import { settingsFromContext } from '../../lib/app.js';
import { asArray, flatten, synthesize } from './synth.js';

const context = {
  timezone: 'Asia/Shanghai',
  reportSender: 'growth@mail.example.org',
};
const { stack, template, dispose } = synthesize({ context });
afterAll(dispose);

const functionNames = Object.keys(functions) as FunctionName[];

/** Resources of a type as [logical id, resource] pairs; the template is untyped JSON. */
const resourcesOf = (type: string) => Object.entries(template.findResources(type));

/** Logical id of the Lambda function declared as `name` (found by its service name). */
function functionId(name: FunctionName): string {
  const found = resourcesOf('AWS::Lambda::Function').filter(
    ([, r]) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === name,
  );
  expect(found, `one Lambda function for ${name}`).toHaveLength(1);
  return found[0]?.[0] as string;
}

/**
 * The ARN functions are given for the machine declared as `name`: built from its deployed name,
 * which must be the one the resource carries.
 */
function stateMachineArn(name: StateMachineName): string {
  const resource = template.findResources('AWS::StepFunctions::StateMachine')[stateMachineId(name)];
  const deployed = resource?.Properties.StateMachineName as string;
  expect(deployed).toBe(`${stack.stackName}-${name}`);
  return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${deployed}`;
}

/** Logical id of the state machine declared as `name` (found by its comment). */
function stateMachineId(name: StateMachineName): string {
  const found = resourcesOf('AWS::StepFunctions::StateMachine').filter(([, r]) =>
    flatten(r.Properties.DefinitionString).includes(
      JSON.stringify(stateMachines[name].description),
    ),
  );
  expect(found, `one state machine for ${name}`).toHaveLength(1);
  return found[0]?.[0] as string;
}

const functionProps = (name: FunctionName) =>
  template.findResources('AWS::Lambda::Function')[functionId(name)]?.Properties;

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

/** Every statement of every policy attached to the function's role. */
function statementsOf(name: FunctionName): Statement[] {
  const roleId = functionProps(name).Role['Fn::GetAtt'][0];
  return resourcesOf('AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties.Roles).some((role) => role.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (name: FunctionName) => statementsOf(name).flatMap((s) => asArray(s.Action));

const resourcesFor = (name: FunctionName, action: string) =>
  statementsOf(name)
    .filter((s) => asArray(s.Action).includes(action))
    .flatMap((s) => asArray(s.Resource).map(flatten));

/** The secret's ARN as the stack outputs it. */
const secretArn = (secret: SecretName) =>
  flatten(Object.values(template.findOutputs(`${secret}SecretArn`))[0]?.Value);

describe('storage', () => {
  it('creates each declared table on demand, with PITR, KMS encryption, TTL and its GSIs, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(tables).length);
    for (const spec of Object.values(tables)) {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            { AttributeName: spec.sortKey, KeyType: 'RANGE' },
          ],
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          // Enabled without a key of ours: the AWS-managed KMS key (aws/dynamodb).
          SSESpecification: { SSEEnabled: true },
          TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
          GlobalSecondaryIndexes: spec.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      });
    }
  });

  it('generates one Secrets Manager secret per secret name, webhook keys as base64 text', () => {
    const secrets = resourcesOf('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(Object.keys(env.secret).length);
    for (const [, secret] of secrets) {
      const generator = secret.Properties.GenerateSecretString;
      expect(generator).toMatchObject({ ExcludePunctuation: true, IncludeSpace: false });
      // A multiple of 4 alphanumerics is valid base64, i.e. a Standard Webhooks key.
      expect(generator.PasswordLength % 4).toBe(0);
    }
  });
});

describe('functions', () => {
  it('creates one arm64 Node.js 24 function per declared function, as declared', () => {
    template.resourceCountIs('AWS::Lambda::Function', functionNames.length);
    for (const name of functionNames) {
      const spec = functions[name];
      expect(functionProps(name)).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutSeconds,
      });
    }
  });

  it('hands each function its table, its secrets ARNs, the state machines it starts and its sender', () => {
    for (const name of functionNames) {
      const spec = functions[name];
      const variables = functionProps(name).Environment.Variables;
      const expected = [
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'NODE_OPTIONS',
        ...(spec.tableActions.length > 0 ? [env.table] : []),
        ...spec.secrets.map((s) => env.secretArn[s]),
        ...spec.startsExecutions.map((machine) => env.stateMachineArn(machine)),
        ...(spec.sendsEmail ? [env.reportSender] : []),
      ];
      expect(Object.keys(variables).sort(), name).toEqual(expected.sort());
      // No --enable-source-maps: no map ships, so Node has none to parse at cold start.
      expect(variables).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'Flywheel' });
      // The heap follows the memory: V8 alone would take a quarter of it.
      expect(variables.NODE_OPTIONS).toBe(
        `--max-old-space-size=${Math.floor(spec.memoryMb * 0.85)}`,
      );
      for (const secret of spec.secrets) {
        expect(flatten(variables[env.secretArn[secret]])).toBe(secretArn(secret));
      }
      for (const machine of spec.startsExecutions) {
        expect(flatten(variables[env.stateMachineArn(machine)])).toBe(stateMachineArn(machine));
      }
      if (spec.sendsEmail) expect(variables[env.reportSender]).toBe(context.reportSender);
    }
  });

  it('keeps every log group for a limited time, each function logging to its own', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    for (const [id, group] of Object.entries(logGroups)) {
      expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
    const used = functionNames.map((name) => functionProps(name).LoggingConfig.LogGroup.Ref);
    expect(new Set(used).size).toBe(functionNames.length);
    for (const id of used) expect(logGroups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it('grants each function exactly the table actions it declares, indexes only when it queries them', () => {
    for (const name of functionNames) {
      const spec: FunctionSpec = functions[name];
      const granted = actionsOf(name).filter((action) => action.startsWith('dynamodb:'));
      expect(new Set(granted), name).toEqual(
        new Set(spec.tableActions.map((a) => `dynamodb:${a}`)),
      );
      expect(granted, name).not.toContain('dynamodb:*');
      const resources = granted.flatMap((action) => resourcesFor(name, action));
      expect(
        resources.some((r) => r.endsWith('/index/*')),
        name,
      ).toBe(spec.queriesIndexes);
    }
    // The webhook function can neither delete nor scan: it only adds facts.
    expect(actionsOf('ingest').filter((a) => /Delete|Scan/.test(a))).toEqual([]);
  });

  it('lets a function read exactly the secrets it declares', () => {
    for (const name of functionNames) {
      const expected = functions[name].secrets.map(secretArn);
      expect(resourcesFor(name, 'secretsmanager:GetSecretValue').sort(), name).toEqual(
        expected.sort(),
      );
    }
  });

  it('lets no function invoke another, and only those that declare it start a state machine', () => {
    for (const name of functionNames) {
      expect(resourcesFor(name, 'lambda:InvokeFunction'), name).toEqual([]);
      const expected = functions[name].startsExecutions.map(stateMachineArn);
      expect(resourcesFor(name, 'states:StartExecution'), name).toEqual(expected);
      const stepFunctions = actionsOf(name).filter((action) => action.startsWith('states:'));
      expect(stepFunctions, name).toEqual(expected.length > 0 ? ['states:StartExecution'] : []);
    }
  });

  it('lets only mail senders use SES, as the configured identity and not *', () => {
    for (const name of functionNames) {
      const sesActions = actionsOf(name).filter((action) => action.startsWith('ses:'));
      if (!functions[name].sendsEmail) {
        expect(sesActions, name).toEqual([]);
        continue;
      }
      expect(sesActions.sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(resourcesFor(name, 'ses:SendEmail')).toEqual([
        'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/mail.example.org',
      ]);
    }
  });
});

describe('HTTP API', () => {
  const routeResources = resourcesOf('AWS::ApiGatewayV2::Route');
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');

  it('has exactly the declared routes, plus $default for requests that match none', () => {
    const keys = routeResources.map(([, r]) => r.Properties.RouteKey);
    expect(keys).toHaveLength(routes.length + 1);
    expect(new Set(keys)).toEqual(new Set([...routes.map(routeKey), unmatchedRouteKey]));
  });

  it('sends unmatched requests to the function that answers them with a JSON 404', () => {
    const [, unmatched] = routeResources.find(
      ([, r]) => r.Properties.RouteKey === unmatchedRouteKey,
    ) as [string, { Properties: { Target: unknown } }];
    const [, health] = routeResources.find(([, r]) => r.Properties.RouteKey === 'GET /health') as [
      string,
      { Properties: { Target: unknown } },
    ];
    // GET /health is the api function's: the same integration means the same function.
    expect(unmatchedRoutesFunction).toBe('api');
    expect(unmatched.Properties.Target).toEqual(health.Properties.Target);
  });

  it('sends each route to the integration of its declared function, one integration each', () => {
    for (const route of routes) {
      const [, resource] = routeResources.find(
        ([, r]) => r.Properties.RouteKey === routeKey(route),
      ) as [string, { Properties: { AuthorizationType?: string; Target: unknown } }];
      expect(resource.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      const target = flatten(resource.Properties.Target);
      const integrationId = /^integrations\/<(.+)>$/.exec(target)?.[1] as string;
      expect(integrations[integrationId]?.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functionId(route.function), 'Arn'] },
      });
    }
    const routed = new Set(routes.map((route) => route.function));
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', routed.size);
  });

  it('serves a $default stage with access logs and throttling', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: {
        ThrottlingBurstLimit: Match.anyValue(),
        ThrottlingRateLimit: Match.anyValue(),
      },
    });
  });
});

describe('schedules', () => {
  const scheduleResources = resourcesOf('AWS::Scheduler::Schedule');
  const cronOf = (name: string) =>
    scheduleResources.find(([, s]) => JSON.parse(s.Properties.Target.Input).schedule === name)?.[1]
      .Properties;

  it('fires each declared schedule in the reporting time zone, with its fields', () => {
    expect(scheduleResources).toHaveLength(schedules.length);
    for (const spec of schedules) {
      const { minute, hour, day, month, weekDay } = spec.cron;
      expect(cronOf(spec.name)).toMatchObject({
        ScheduleExpression: `cron(${minute} ${hour} ${day} ${month} ${weekDay} *)`,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
      });
    }
  });

  it('runs daily at 02:00 and monthly on the 1st at 08:00 (SPEC §4)', () => {
    expect(cronOf('daily')?.ScheduleExpression).toBe('cron(0 2 * * ? *)');
    expect(cronOf('monthly')?.ScheduleExpression).toBe('cron(0 8 1 * ? *)');
  });

  it('invokes the declared function with { schedule }, retrying, then dead-lettering', () => {
    const [queueId] = resourcesOf('AWS::SQS::Queue').map(([id]) => id);
    for (const spec of schedules) {
      const target = cronOf(spec.name)?.Target;
      expect(target).toMatchObject({
        Arn: { 'Fn::GetAtt': [functionId(spec.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      });
      expect(JSON.parse(target.Input)).toEqual({ schedule: spec.name });
    }
  });

  it('keeps dead letters encrypted and reachable over TLS only', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('outputs and settings', () => {
  it('outputs the API URL, the table names and the secret ARNs', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toContain('ApiUrl');
    for (const table of Object.keys(tables)) expect(outputs).toContain(`${table}TableName`);
    for (const secret of Object.keys(env.secret)) expect(outputs).toContain(`${secret}SecretArn`);
  });

  it('derives the SES identity from the sender unless given, and rejects bad settings', () => {
    const settings = (values: Record<string, string>) => settingsFromContext((key) => values[key]);
    expect(settings({})).toEqual({
      timezone: 'UTC',
      reportSender: 'reports@example.com',
      reportSenderIdentity: 'example.com',
    });
    expect(
      settings({ reportSender: 'a@b.example', reportSenderIdentity: 'a@b.example' }),
    ).toMatchObject({ reportSenderIdentity: 'a@b.example' });
    expect(() => settings({ timezone: 'Mars/Olympus' })).toThrow(/IANA/);
    expect(() => settings({ reportSender: 'not-an-address' })).toThrow(/email/);
  });
});

describe('state machines', () => {
  const machineNames = Object.keys(stateMachines) as StateMachineName[];
  const machineProps = (name: StateMachineName) =>
    template.findResources('AWS::StepFunctions::StateMachine')[stateMachineId(name)]?.Properties;

  it('deploys each declared state machine with the definition local mode runs', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', machineNames.length);
    for (const name of machineNames) {
      const props = machineProps(name);
      expect(props.StateMachineType).toBe('STANDARD');
      expect(JSON.parse(flatten(props.DefinitionString))).toEqual(
        stateMachineDefinitions[name]((fn) => `<${functionId(fn)}.Arn>`),
      );
    }
  });

  it('lets each machine invoke its declared functions only, and logs and traces it', () => {
    for (const name of machineNames) {
      const props = machineProps(name);
      const roleId = props.RoleArn['Fn::GetAtt'][0];
      const statements = resourcesOf('AWS::IAM::Policy')
        .filter(([, p]) => asArray(p.Properties.Roles).some((role) => role.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
      const invoked = statements
        .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'))
        .flatMap((s) => asArray(s.Resource).map(flatten));
      expect(invoked).toEqual(stateMachines[name].functions.map((fn) => `<${functionId(fn)}.Arn>`));
      // Every function the definition's tasks name is one the machine may invoke.
      const tasks = Object.values(
        JSON.parse(flatten(props.DefinitionString)).States as Record<string, { Resource?: string }>,
      ).flatMap((state) => (state.Resource ? [state.Resource] : []));
      expect(new Set(tasks)).toEqual(new Set(invoked));
      expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
      expect(props.TracingConfiguration).toEqual({ Enabled: true });
    }
  });
});
