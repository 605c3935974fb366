import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability.js';

/**
 * Wraps a handler so every invocation logs with the Lambda context and flushes its metrics (as
 * CloudWatch embedded metric format), also when the handler throws.
 */
export function instrumented<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    logger.addContext(context);
    try {
      return await handler(event, context);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
