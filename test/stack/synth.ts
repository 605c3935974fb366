import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type CreateAppOptions, createApp } from '../../lib/app.js';
import type { FlywheelStack } from '../../lib/flywheel-stack.js';

/**
 * cdk.json's context (feature flags) plus the given context, as the CLI would hand the app, with
 * bundling skipped unless asked for (0.1 s instead of seconds per function). Without the flags a
 * test app would synthesize with legacy defaults and not match what `cdk synth` builds.
 */
export function testContext(
  context: Record<string, unknown> = {},
  { bundle = false } = {},
): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  return {
    ...cdkJson.context,
    ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    ...context,
  };
}

export interface Synthesized {
  readonly app: App;
  readonly stack: FlywheelStack;
  readonly template: Template;
  readonly outdir: string;
  /** Removes the cloud assembly; call it in `afterAll`. */
  readonly dispose: () => void;
}

/**
 * The app as `cdk synth` builds it, into a temporary directory. cdk-nag and CloudFormation's own
 * template validation run only when asked for: the validation alone takes seconds.
 */
export function synthesize(
  options: {
    context?: Record<string, unknown>;
    bundle?: boolean;
  } & Pick<CreateAppOptions, 'nag' | 'cfnValidation'> = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'flywheel-cdk-'));
  const { app, stack } = createApp({
    outdir,
    nag: options.nag ?? false,
    cfnValidation: options.cfnValidation ?? false,
    context: testContext(options.context, { bundle: options.bundle ?? false }),
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    outdir,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** A CloudFormation value as a string, written as cdk-nag does: `{ Ref: X }` → `<X>`, `<X.Arn>`. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) return `<${String(object.Ref)}>`;
    if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(separator);
    }
  }
  return JSON.stringify(value);
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
