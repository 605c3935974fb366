import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { env, type FunctionName } from '../system.js';

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

/** The Invoke API refused the call (e.g. an unknown function or a missing permission). */
export class InvokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvokeError';
  }
}

/**
 * Queues an asynchronous invocation of another of Flywheel's functions (Lambda retries it on
 * failure); locally the Lambda endpoint is local mode's stand-in (`AWS_ENDPOINT_URL_LAMBDA`).
 *
 * It calls Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`, invocation type
 * `Event`) signed with SigV4, with the credentials the runtime puts in the environment: the whole
 * of `@aws-sdk/client-lambda` for this one call was ~75 KB of the API function's bundle.
 */
export async function invokeAsync(fn: FunctionName, payload: unknown): Promise<void> {
  const name = required(env.functionName(fn));
  const region = required('AWS_REGION');
  const url = new URL(
    `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`,
    process.env.AWS_ENDPOINT_URL_LAMBDA ?? `https://lambda.${region}.amazonaws.com`,
  );
  const body = JSON.stringify(payload);
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  const signer = new SignatureV4({
    service: 'lambda',
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
      'content-type': 'application/json',
      'x-amz-invocation-type': 'Event',
    },
    body,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  });
  if (response.status !== 202) {
    throw new InvokeError(`Lambda Invoke of ${name} answered ${response.status}`);
  }
}
