import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlywheelStack, type FlywheelStackProps } from './flywheel-stack.js';

/** The deployment's settings, given as CDK context (`cdk deploy -c timezone=Europe/Berlin`). */
export interface FlywheelSettings {
  readonly timezone: string;
  readonly reportSender: string;
  readonly reportSenderIdentity: string;
}

export const defaultSettings = {
  timezone: 'UTC',
  reportSender: 'reports@example.com',
} as const;

const emailAddress = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/;

/** Reads one context value (`(key) => app.node.tryGetContext(key)` in the app). */
export type ContextLookup = (key: string) => unknown;

function contextString(context: ContextLookup, key: keyof FlywheelSettings): string | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value.trim();
}

/**
 * Settings from context, checked at synth time so that a typo fails before a deploy does:
 * `timezone` an IANA zone (default UTC), `reportSender` an address, `reportSenderIdentity` the SES
 * identity to send as (default the sender's domain).
 */
export function settingsFromContext(context: ContextLookup): FlywheelSettings {
  const timezone = contextString(context, 'timezone') ?? defaultSettings.timezone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new Error(
      `Context "timezone" must be an IANA time zone such as Europe/Berlin, not ${timezone}`,
    );
  }
  const reportSender = contextString(context, 'reportSender') ?? defaultSettings.reportSender;
  const domain = emailAddress.exec(reportSender)?.[1];
  if (!domain) {
    throw new Error(`Context "reportSender" must be an email address, not ${reportSender}`);
  }
  const reportSenderIdentity = contextString(context, 'reportSenderIdentity') ?? domain;
  return { timezone, reportSender, reportSenderIdentity };
}

export function buildStack(
  app: App,
  settings: FlywheelSettings,
  props: Omit<FlywheelStackProps, keyof FlywheelSettings> = {},
): FlywheelStack {
  return new FlywheelStack(app, 'Flywheel', {
    description: 'Flywheel: growth reporting (key accounts, evangelists), mailed monthly',
    ...props,
    ...settings,
  });
}

export interface CreateAppOptions {
  /**
   * Context for the app. The CLI supplies cdk.json's through the environment; apps built in
   * tests get only what is passed here, feature flags included.
   */
  readonly context?: Record<string, unknown>;
  /** Where the cloud assembly goes; the CLI sets it, tests give a temporary directory. */
  readonly outdir?: string;
  /** Run the cdk-nag AWS Solutions checks at synth (default true); a finding fails the synth. */
  readonly nag?: boolean;
  /**
   * Validate the template against CloudFormation's schemas and rules at synth (default true, as
   * `cdk synth` does). It is most of a synth's time without bundling, so unit tests turn it off.
   */
  readonly cfnValidation?: boolean;
}

/** The CDK app: the Flywheel stack, checked by cdk-nag's AWS Solutions pack. */
export function createApp(options: CreateAppOptions = {}): { app: App; stack: FlywheelStack } {
  const app = new App({
    builtinCloudFormationValidation: options.cfnValidation ?? true,
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = buildStack(
    app,
    settingsFromContext((key) => app.node.tryGetContext(key)),
  );
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
