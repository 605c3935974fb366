import { createServer, type Server } from 'node:http';
import type { FunctionName } from '../lambdas/system.js';
import { readRequestBody, writeJson } from './http-gateway.js';
import { isFunctionName } from './lambda-runtime.js';

export type Invoke = (fn: FunctionName, event: unknown) => Promise<unknown>;

const invocationPath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The slice of the Lambda API handlers use (`Invoke`, sync or `Event`), so that a handler queueing
 * a job calls the real SDK client in both places; the SDK reaches it via `AWS_ENDPOINT_URL_LAMBDA`.
 */
export function startLambdaService(invoke: Invoke, onAsyncError: (error: unknown) => void) {
  const server: Server = createServer(async (req, res) => {
    const name = decodeURIComponent(invocationPath.exec(req.url?.split('?')[0] ?? '')?.[1] ?? '');
    if (req.method !== 'POST' || !isFunctionName(name)) {
      return writeJson(res, 404, { Message: `Function not found: ${name}` });
    }
    const body = (await readRequestBody(req)) ?? Buffer.alloc(0);
    const event = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    if (req.headers['x-amz-invocation-type'] === 'Event') {
      writeJson(res, 202, {});
      invoke(name, event).catch(onAsyncError);
      return;
    }
    try {
      writeJson(res, 200, (await invoke(name, event)) ?? null);
    } catch (error) {
      res.setHeader('x-amz-function-error', 'Unhandled');
      writeJson(res, 200, {
        errorType: (error as Error).name,
        errorMessage: (error as Error).message,
      });
    }
  });
  return new Promise<{ endpoint: string; stop: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
