import { Aws, type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type CronSpec, type FunctionName, schedules } from '../lambdas/system.js';

export interface FlywheelSchedulesProps {
  readonly functions: Record<FunctionName, IFunction>;
  /** IANA zone the cron fields are evaluated in (the reporting time zone). */
  readonly timezone: string;
}

/**
 * The declaration writes both day fields the way EventBridge does (one of them `?`); the L2 takes
 * at most one of them and fills the other with `?` itself.
 */
export function cronOptions({ minute, hour, day, month, weekDay }: CronSpec) {
  return {
    minute,
    hour,
    month,
    ...(day === '?' ? {} : { day }),
    ...(weekDay === '?' ? {} : { weekDay }),
  };
}

/**
 * One EventBridge Scheduler schedule per entry of `schedules` in `lambdas/system.ts`, each invoking
 * its function with `{ "schedule": name }` in the reporting time zone.
 */
export class FlywheelSchedules extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, { functions, timezone }: FlywheelSchedulesProps) {
    super(scope, id);
    // Invocations that still fail after the retries land here, so a missed daily run or
    // monthly report is visible and can be replayed instead of silently lost.
    this.deadLetters = new Queue(this, 'DeadLetters', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedules.',
    });

    // Scheduler may assume the roles only on behalf of this account's default schedule group
    // (confused-deputy protection, as CDK's own scheduler roles do).
    const scheduler = new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': Aws.ACCOUNT_ID,
          'aws:SourceArn': Stack.of(this).formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    });

    for (const spec of schedules) {
      const fn = functions[spec.function];
      // A role per schedule: it may invoke that schedule's function and nothing else.
      const role = new Role(this, `${spec.name}Role`, {
        assumedBy: scheduler,
        description: `Flywheel ${spec.name} schedule`,
      });
      new Schedule(this, spec.name, {
        description: spec.description,
        schedule: ScheduleExpression.cron({
          ...cronOptions(spec.cron),
          timeZone: TimeZone.of(timezone),
        }),
        // Retries are safe: the handlers are idempotent (the monthly report mails once, SPEC §4).
        target: new LambdaInvoke(fn, {
          role,
          input: ScheduleTargetInput.fromObject({ schedule: spec.name }),
          retryAttempts: 3,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.deadLetters,
        }),
      });
      const fnId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
        reason:
          "CDK's Lambda invoke grant adds the function's versions and aliases (`:*`) to its ARN; " +
          'the wildcard covers only qualifiers of this one function.',
      });
    }
  }
}
