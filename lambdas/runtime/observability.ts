import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { MaskingLogFormatter } from './log-masking.js';

/**
 * One logger and one metrics emitter per function, named after it by the Lambda environment
 * (`POWERTOOLS_SERVICE_NAME` is set by the stack and by local mode). Every log line goes through
 * the masking formatter, so an email address that reaches a log (an error naming an identity, a
 * path) is written masked whoever logged it.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'flywheel';
export const logger = new Logger({ serviceName, logFormatter: new MaskingLogFormatter() });
export const metrics = new Metrics({ namespace: 'Flywheel', serviceName });
