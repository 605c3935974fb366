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
  if (error instanceof ZodError) return errorResponse(400, describeZodError(error));
  if (error instanceof HttpError) return errorResponse(error.statusCode, error.message);
  // The router refuses path parameters it cannot use (e.g. only whitespace) before any handler.
  if (error instanceof RouteMatchingError) {
    return errorResponse(400, `The path ${error.path} has a parameter that is not valid`);
  }
  logger.error('Unhandled error', { error });

  return errorResponse(500, 'Internal error: the request was not completed; retry later');
}
