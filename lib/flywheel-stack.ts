import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Secret, type SecretStringGenerator } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { env, type SecretName, type TableSpec, tables } from '../lambdas/system.js';
import { FlywheelApi } from './api.js';
import { FlywheelFunctions } from './functions.js';
import { FlywheelSchedules } from './schedules.js';
import { FlywheelStateMachines } from './state-machines.js';

export interface FlywheelStackProps extends StackProps {
  /** IANA zone of the reporting month; the schedules fire in it. */
  readonly timezone: string;
  /** From address of the monthly report; an SES-verified address or one of a verified domain. */
  readonly reportSender: string;
  /** The SES identity (domain or address) the report function may send as. */
  readonly reportSenderIdentity: string;
}

/**
 * Alphanumerics only, 44 of them: valid base64 (33 bytes), so the generated value is a Standard
 * Webhooks key as it is. CloudFormation cannot prefix a generated value with `whsec_`; the
 * verifier (`standardwebhooks`) accepts the key with or without the prefix, and the operator
 * configures senders with `whsec_<value>` (or puts a `whsec_…` secret of their own in).
 */
const webhookKey: SecretStringGenerator = {
  excludePunctuation: true,
  includeSpace: false,
  passwordLength: 44,
};

/**
 * GitHub's and Discourse's webhook settings take any string as the secret (SPEC §11): 48
 * alphanumerics, typed into the sender's settings page as they are.
 */
const plainWebhookSecret: SecretStringGenerator = {
  excludePunctuation: true,
  includeSpace: false,
  passwordLength: 48,
};

const secretSpecs: Record<SecretName, { description: string; generate: SecretStringGenerator }> = {
  adminToken: {
    description: `Admin bearer token (${env.secret.adminToken}); several space-separated tokens are all accepted`,
    // Header-safe characters only, as it travels in `Authorization: Bearer`.
    generate: { excludePunctuation: true, includeSpace: false, passwordLength: 48 },
  },
  telemetrySecret: {
    description: `Telemetry webhook signing key (${env.secret.telemetrySecret}), base64; senders use whsec_<value>`,
    generate: webhookKey,
  },
  communitySecret: {
    description: `Community webhook signing key (${env.secret.communitySecret}), base64; senders use whsec_<value>`,
    generate: webhookKey,
  },
  githubSecret: {
    description: `GitHub webhook secret (${env.secret.githubSecret}), a plain string: the webhook's Secret field`,
    generate: plainWebhookSecret,
  },
  discourseSecret: {
    description: `Discourse webhook secret (${env.secret.discourseSecret}), a plain string: the webhook's Secret field`,
    generate: plainWebhookSecret,
  },
  sessionSecret: {
    description: `HMAC key of the console's session cookies (${env.secret.sessionSecret}); replacing it ends every session`,
    generate: { excludePunctuation: true, includeSpace: false, passwordLength: 48 },
  },
};

/**
 * Flywheel on AWS, built from the declaration in `lambdas/system.ts` (functions, routes, schedules,
 * tables, state machines) so that it and local mode cannot drift. Reads top to bottom: storage,
 * secrets, functions, state machines, API, schedules.
 */
export class FlywheelStack extends Stack {
  constructor(scope: Construct, id: string, props: FlywheelStackProps) {
    super(scope, id, props);

    // Storage: one table per declaration entry. It holds the board's numbers and their history,
    // so it is kept on stack deletion, protected from deletion, and restorable to any second of
    // the last 35 days. AWS-managed KMS encryption: every use of the key shows in CloudTrail,
    // without a customer key's monthly cost and key policy to maintain.
    const storage = Object.fromEntries(
      Object.entries(tables).map(([name, spec]) => [name, this.createTable(name, spec)]),
    ) as Record<keyof typeof tables, Table>;

    // Secrets: generated at deploy, read by the functions through Secrets Manager at run time
    // (cached for minutes), never placed in the environment or the template.
    const secretNames = Object.keys(secretSpecs) as SecretName[];
    const secrets = Object.fromEntries(
      secretNames.map((name) => [name, this.createSecret(name)]),
    ) as Record<SecretName, Secret>;

    // Functions: one per declaration entry, each allowed exactly what it declares.
    const functions = new FlywheelFunctions(this, 'Functions', {
      table: storage.main,
      secrets,
      reportSender: props.reportSender,
      reportSenderIdentity: props.reportSenderIdentity,
    }).byName;

    // Orchestration: recalculation jobs split into runs of months, chained by Step Functions.
    new FlywheelStateMachines(this, 'StateMachines', { functions });

    // API: every declared route, authenticated inside the functions (401, never 403).
    const api = new FlywheelApi(this, 'Api', { functions });

    // Schedules: daily recomputation and the monthly report, in the reporting time zone.
    new FlywheelSchedules(this, 'Schedules', { functions, timezone: props.timezone });

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    for (const [name, table] of Object.entries(storage)) {
      new CfnOutput(this, `${name}TableName`, { value: table.tableName });
    }
    for (const name of secretNames) {
      new CfnOutput(this, `${name}SecretArn`, {
        value: secrets[name].secretArn,
        description: `Secrets Manager secret holding ${env.secret[name]}`,
      });
    }
  }

  /** Every key attribute is a string and every index projects all attributes, as in local mode. */
  private createTable(name: string, spec: TableSpec): Table {
    const table = new Table(this, `${name}Table`, {
      partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
      sortKey: { name: spec.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of spec.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
    return table;
  }

  private createSecret(name: SecretName): Secret {
    const { description, generate } = secretSpecs[name];
    const secret = new Secret(this, `${name}Secret`, {
      description: `Flywheel: ${description}`,
      generateSecretString: generate,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by hand: the new value must reach the webhook sender or the admin clients too, ' +
        'which no rotation Lambda can do. The handlers accept several space-separated values, so ' +
        'old and new work side by side during the switch.',
    });
    return secret;
  }
}
