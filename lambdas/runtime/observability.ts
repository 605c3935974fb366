import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics emitter per function, named after it by the Lambda environment
 * (`POWERTOOLS_SERVICE_NAME` is set by the stack and by local mode).
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'flywheel';
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: 'Flywheel', serviceName });
