import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/app.js';
import { synthesize, testContext } from './synth.js';

/**
 * cdk-nag 3 is a CDK validation plugin: it reports findings in the synth's validation report (and
 * fails the synth), not as annotations. `validateScope` returns the same findings as data.
 */
function findings(scope: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
      ),
    );
}

describe('cdk-nag AWS Solutions checks', () => {
  const synthesized = synthesize({ context: { timezone: 'Asia/Shanghai' } });
  afterAll(synthesized.dispose);

  it('finds nothing that is not acknowledged with a reason', () => {
    expect(findings(synthesized.app)).toEqual([]);
  });

  it('leaves no warning or error annotations from the CDK itself', () => {
    const annotations = Annotations.fromStack(synthesized.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const { app, stack } = createApp({
      context: testContext(),
      outdir: synthesized.outdir,
      cfnValidation: false,
    });
    // A queue without TLS enforcement or a dead-letter queue: SQS3 and SQS4.
    new Queue(stack, 'Unacknowledged');
    expect(findings(app)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/AwsSolutions-SQS3 at Flywheel\/Unacknowledged/),
        expect.stringMatching(/AwsSolutions-SQS4 at Flywheel\/Unacknowledged/),
      ]),
    );
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
