import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { env, type StateMachineName } from '../system.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/**
 * SHA-256 (or its HMAC, given a key) for the request signer, from Node's own crypto: the signer
 * takes any class with `update` and `digest`.
 */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/** A variable Lambda (and local mode) always sets; its absence is a packaging fault. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the stack or local mode sets it`);
  return value;
}

/** Step Functions refused to start the execution (e.g. an unknown machine or a missing permission). */
export class StartExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartExecutionError';
  }
}

/**
 * Starts an execution of one of Flywheel's state machines, named `name` (unique per machine for
 * 90 days: a job id), with `input`; locally the endpoint is local mode's stand-in
 * (`AWS_ENDPOINT_URL_SFN`).
 *
 * It calls Step Functions' `StartExecution` (AWS JSON 1.0) signed with SigV4, with the credentials
 * the runtime puts in the environment: a whole SDK client for one call adds tens of KB to each
 * function that starts jobs (`@aws-sdk/client-lambda` was ~75 KB for the `Invoke` this replaced).
 * @throws StartExecutionError when Step Functions answers anything but 200.
 */
export async function startExecution(
  machine: StateMachineName,
  name: string,
  input: unknown,
): Promise<void> {
  const stateMachineArn = required(env.stateMachineArn(machine));
  const region = required('AWS_REGION');
  const url = new URL(
    '/',
    process.env.AWS_ENDPOINT_URL_SFN ?? `https://states.${region}.amazonaws.com`,
  );
  const body = JSON.stringify({ stateMachineArn, name, input: JSON.stringify(input) });
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  const signer = new SignatureV4({
    service: 'states',
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: required('AWS_ACCESS_KEY_ID'),
      secretAccessKey: required('AWS_SECRET_ACCESS_KEY'),
      ...(sessionToken ? { sessionToken } : {}),
    },
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AWSStepFunctions.StartExecution',
    },
    body,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  });
  if (response.status !== 200) {
    const detail = await response.text().catch(() => '');
    throw new StartExecutionError(
      `StartExecution of ${machine} answered ${response.status}: ${detail.slice(0, 300)}`,
    );
  }
}
