/**
 * Flywheel's typed failures. Callers branch on the class, never on message text; the HTTP shell
 * maps each class to a status in one place (`lambdas/http/errors.ts`). Messages are written for the
 * person who has to fix the request.
 */

/** Base class of every failure Flywheel reports to a caller. */
export abstract class FlywheelError extends Error {
  abstract readonly status: number;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request or a value in it is malformed (400). */
export class ValidationError extends FlywheelError {
  readonly status = 400;
}

/** Missing or wrong credentials: admin token or webhook signature (401). */
export class AuthError extends FlywheelError {
  readonly status = 401;
}

/** A valid token whose role does not include the route (403, SPEC §3 and §8). */
export class ForbiddenError extends FlywheelError {
  readonly status = 403;
}

/** The thing named does not exist (404). */
export class NotFoundError extends FlywheelError {
  readonly status = 404;
}

/** The request conflicts with the current state, e.g. a job already running for a month (409). */
export class ConflictError extends FlywheelError {
  readonly status = 409;
}

/** The body is larger than the limits of SPEC §2 (413). */
export class PayloadTooLargeError extends FlywheelError {
  readonly status = 413;
}

/** The route exists but the feature behind it is not built yet (501). */
export class NotImplementedError extends FlywheelError {
  readonly status = 501;
}

/** A dependency (DynamoDB, SES) refused or failed; the caller should retry later (503). */
export class RetryableError extends FlywheelError {
  readonly status = 503;
}
