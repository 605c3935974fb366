import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineDefinitions } from '../lambdas/orchestration/recalculation-machine.js';
import {
  env,
  type FunctionName,
  functions,
  type StateMachineName,
  stateMachines,
} from '../lambdas/system.js';

export interface FlywheelStateMachinesProps {
  readonly functions: Record<FunctionName, NodejsFunction>;
}

/**
 * One Step Functions state machine per entry of `stateMachines` in `lambdas/system.ts`, deployed
 * from the same definition local mode runs, allowed to invoke its one function (unqualified ARN
 * only). Each function that declares `startsExecutions` learns the machine's ARN and may start
 * executions of it, and nothing else.
 */
export class FlywheelStateMachines extends Construct {
  readonly byName: Record<StateMachineName, StateMachine>;

  constructor(scope: Construct, id: string, props: FlywheelStateMachinesProps) {
    super(scope, id);
    const names = Object.keys(stateMachines) as StateMachineName[];
    this.byName = Object.fromEntries(
      names.map((name) => [name, this.createStateMachine(name, props.functions)]),
    ) as Record<StateMachineName, StateMachine>;
    for (const [fnName, spec] of Object.entries(functions) as [
      FunctionName,
      (typeof functions)[FunctionName],
    ][]) {
      for (const name of spec.startsExecutions) {
        const fn = props.functions[fnName];
        fn.addEnvironment(env.stateMachineArn(name), this.byName[name].stateMachineArn);
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:StartExecution'],
            resources: [this.byName[name].stateMachineArn],
          }),
        );
      }
    }
  }

  private createStateMachine(
    name: StateMachineName,
    byName: Record<FunctionName, NodejsFunction>,
  ): StateMachine {
    const spec = stateMachines[name];
    const fn = byName[spec.function];
    const scope = new Construct(this, name);
    const logGroup = new LogGroup(scope, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const definition = stateMachineDefinitions[name](fn.functionArn);
    const machine = new StateMachine(scope, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      // Every state's transitions, without the data: inputs and outputs are job ids and months.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    machine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
    Validations.of(machine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery (logs:CreateLogDelivery and its kin) and X-Ray (PutTraceSegments) ' +
        'accept no resource but `*`; the machine may invoke only its own function.',
    });
    return machine;
  }
}
