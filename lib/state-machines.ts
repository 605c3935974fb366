import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
 * from the same definition local mode runs, allowed to invoke the functions it declares
 * (unqualified ARNs only). Each function that declares `startsExecutions` learns the machine's ARN and may start
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
        fn.addEnvironment(env.stateMachineArn(name), this.arnOf(name));
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:StartExecution'],
            resources: [this.arnOf(name)],
          }),
        );
      }
    }
  }

  /** The machine's name on AWS: the stack's name and the declared one. */
  private nameOf(name: StateMachineName): string {
    return `${Stack.of(this).stackName}-${name}`;
  }

  /**
   * The machine's ARN, built from its name rather than read from the resource: a function the
   * machine invokes (the report) also starts it, and a reference each way would be a cycle.
   */
  private arnOf(name: StateMachineName): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.nameOf(name),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private createStateMachine(
    name: StateMachineName,
    byName: Record<FunctionName, NodejsFunction>,
  ): StateMachine {
    const invoked = stateMachines[name].functions.map((fn) => byName[fn]);
    const scope = new Construct(this, name);
    const logGroup = new LogGroup(scope, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const definition = stateMachineDefinitions[name]((fn) => byName[fn].functionArn);
    const machine = new StateMachine(scope, 'StateMachine', {
      stateMachineName: this.nameOf(name),
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      // Every state's transitions, without the data: inputs and outputs are job ids and months.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    machine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: invoked.map((fn) => fn.functionArn),
      }),
    );
    Validations.of(machine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery (logs:CreateLogDelivery and its kin) and X-Ray (PutTraceSegments) ' +
        'accept no resource but `*`; the machine may invoke only its declared functions.',
    });
    return machine;
  }
}
