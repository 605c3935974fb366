import { createServer, type Server } from 'node:http';
import { StateMachine } from 'aws-local-stepfunctions';
import { stateMachineDefinitions } from '../lambdas/orchestration/recalculation-machine.js';
import { type FunctionName, type StateMachineName, stateMachines } from '../lambdas/system.js';
import { readRequestBody, writeJson } from './http-gateway.js';
import { isFunctionName } from './lambda-runtime.js';

// aws-local-stepfunctions calls `Promise.withResolvers` (Node 22+); on Node 20 every Map item and
// task would fail quietly without it (see /work/shared/LOCAL-STACK.md, "Fan-out stand-ins").
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

export type Invoke = (fn: FunctionName, event: unknown) => Promise<unknown>;

/** How local mode names a function and a state machine: the shapes of their ARNs on AWS. */
export const localFunctionArn = (fn: FunctionName) =>
  `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
export const localStateMachineArn = (name: StateMachineName) =>
  `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

/** An execution local mode ran, for tests to see how a job was split. */
export interface LocalExecution {
  readonly machine: StateMachineName;
  readonly name: string;
  readonly input: unknown;
  /** Every task run, in order: the state's name and the function's event. */
  readonly tasks: { readonly state: string; readonly input: unknown }[];
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** Settles when the execution ends, either way. */
  readonly done: Promise<void>;
}

/** The states of a definition, or of a `Map`'s item processor. */
interface StatesOf {
  readonly States: Record<string, { Type: string; Resource?: string; ItemProcessor?: StatesOf }>;
}

/** Every `Task` state, those of `Map` item processors included (state names are unique). */
const tasksOf = (definition: StatesOf): [string, { Resource?: string }][] =>
  Object.entries(definition.States).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, { Resource?: string }]] : []),
    ...(state.ItemProcessor ? tasksOf(state.ItemProcessor) : []),
  ]);

/** A retried task waits this long locally, not the definition's seconds: tests stay fast. */
const localRetryMs = 100;

/**
 * Runs a state machine definition in this process with `aws-local-stepfunctions`: each `Task`
 * invokes the declared function its `Resource` ARN names, through `invoke`; retries wait
 * `localRetryMs`. Returns the tasks as they run and the execution's result.
 * @throws Error when a task names no declared function (a definition fault).
 */
export function runDefinition(
  definition: StatesOf,
  input: unknown,
  invoke: Invoke,
): { tasks: LocalExecution['tasks']; result: Promise<unknown> } {
  const taskStates = tasksOf(definition);
  const tasks: LocalExecution['tasks'] = [];
  const handlers = Object.fromEntries(
    taskStates.map(([state, spec]) => {
      const target = String(spec.Resource).split(':').at(-1) ?? '';
      if (!isFunctionName(target)) throw new Error(`${state} names no declared function`);
      const handler = async (taskInput: unknown) => {
        tasks.push({ state, input: taskInput });
        return (await invoke(target, taskInput)) as never;
      };
      return [state, handler];
    }),
  );
  const execution = new StateMachine(
    definition as unknown as ConstructorParameters<typeof StateMachine>[0],
  ).run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      retryIntervalOverrides: Object.fromEntries(taskStates.map(([s]) => [s, localRetryMs])),
    },
  });
  return { tasks, result: execution.result };
}

/**
 * The slice of Step Functions handlers use (`StartExecution`, AWS JSON 1.0), so that a function
 * starting a job makes the same signed call in both places (`AWS_ENDPOINT_URL_SFN`). Executions
 * run the declared definitions with `aws-local-stepfunctions`, each task invoking the function its
 * `Resource` names in this process.
 */
export function startStepFunctions(invoke: Invoke) {
  const executions = new Map<string, LocalExecution>();
  let stopped = false;
  const run = (machine: StateMachineName, name: string, input: unknown): LocalExecution => {
    const definition = stateMachineDefinitions[machine](localFunctionArn);
    const guarded: Invoke = (target, event) => {
      if (stopped) throw new Error('Local mode is stopping');
      return invoke(target, event);
    };
    const { tasks, result } = runDefinition(definition, input, guarded);
    const record: LocalExecution = {
      machine,
      name,
      input,
      tasks,
      status: 'RUNNING',
      done: result.then(
        () => {
          record.status = 'SUCCEEDED';
        },
        (error: unknown) => {
          record.status = 'FAILED';
          const cause = error instanceof Error ? error.message : String(error);
          if (!stopped) console.error(`Local execution ${machine}/${name} failed: ${cause}`);
        },
      ),
    };
    return record;
  };

  const server: Server = createServer(async (req, res) => {
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'AWSStepFunctions.StartExecution') {
      return writeJson(res, 400, {
        __type: 'UnknownOperationException',
        message: `Local mode serves StartExecution only, not ${target}`,
      });
    }
    const body = JSON.parse(((await readRequestBody(req)) ?? Buffer.alloc(0)).toString('utf8')) as {
      stateMachineArn?: string;
      name?: string;
      input?: string;
    };
    const machine = (Object.keys(stateMachines) as StateMachineName[]).find(
      (name) => localStateMachineArn(name) === body.stateMachineArn,
    );
    if (!machine) {
      return writeJson(res, 400, {
        __type: 'StateMachineDoesNotExist',
        message: `State Machine Does Not Exist: '${body.stateMachineArn}'`,
      });
    }
    const name = body.name ?? crypto.randomUUID();
    if (executions.has(`${machine}:${name}`)) {
      return writeJson(res, 400, {
        __type: 'ExecutionAlreadyExists',
        message: `Execution Already Exists: '${name}'`,
      });
    }
    executions.set(`${machine}:${name}`, run(machine, name, JSON.parse(body.input ?? '{}')));
    writeJson(res, 200, {
      executionArn: `${localStateMachineArn(machine).replace(':stateMachine:', ':execution:')}:${name}`,
      startDate: Date.now() / 1000,
    });
  });
  return new Promise<{
    endpoint: string;
    executions: () => LocalExecution[];
    stop: () => Promise<void>;
  }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        executions: () => [...executions.values()],
        stop: () => {
          stopped = true;
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
