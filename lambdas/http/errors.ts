import { HttpError, RouteMatchingError } from '@aws-lambda-powertools/event-handler/http';
import { ZodError } from 'zod';
import { FlywheelError } from '../domain/errors.js';
import { logger } from '../runtime/observability.js';
import { errorResponse } from './responses.js';

/** How a zod failure reads to a caller: `events.3.nodes: Too big: expected ...`. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Maps any failure to the HTTP answer, in this one place (STYLE: no 400 block per handler).
 * Unknown failures are logged with their stack and answered with a 500 that reveals nothing.
 */
export function toErrorResponse(error: Error): Response {
  if (error instanceof FlywheelError) return errorResponse(error.status, error.message);
  // Throttling or an outage outlasted the SDK's retries: the sender must back off and retry, and
  // a 5xx with Retry-After says so (SPEC §2) where a bare 500 reads as a bug.
  if (isTransient(error)) {
    logger.warn('A dependency is throttling or unavailable', { error: error.name });
    return errorResponse(
      503,
      'The store is busy or unavailable; retry after the Retry-After delay',
    );
  }
  if (error instanceof ZodError) return errorResponse(400, describeZodError(error));
  if (error instanceof HttpError) return errorResponse(error.statusCode, error.message);
  // The router refuses path parameters it cannot use (e.g. only whitespace) before any handler.
  if (error instanceof RouteMatchingError) {
    return errorResponse(400, `The path ${error.path} has a parameter that is not valid`);
  }
  logger.error('Unhandled error', { error });

  return errorResponse(500, 'Internal error: the request was not completed; retry later');
}

/** AWS errors that mean "not now" rather than "never": throttling, outages, lost connections. */
const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'TimeoutError',
]);
const transientCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** Whether a failure of a dependency is worth retrying later (SPEC §2 back-pressure). */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const details = error as Error & {
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    transientNames.has(error.name) ||
    details.$retryable !== undefined ||
    (details.code !== undefined && transientCodes.has(details.code)) ||
    (details.$metadata?.httpStatusCode ?? 0) >= 500
  );
}
