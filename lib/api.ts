import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type Access,
  type FunctionName,
  routes,
  unmatchedRoutesFunction,
} from '../lambdas/system.js';

export interface FlywheelApiProps {
  readonly functions: Record<FunctionName, IFunction>;
}

/**
 * Why a route has no API Gateway authorizer. Tokens are checked inside the functions: an HTTP API
 * Lambda authorizer answers 403 to a wrong token, where SPEC §3 wants 401 (and 403 only for a
 * valid token whose role is too low).
 */
const tokenChecked =
  'The function checks the bearer token — the bootstrap token in constant time, personal tokens by ' +
  'their SHA-256 — and the role the route declares, so that a missing or unknown token answers 401 ' +
  'and a too-low role 403 as SPEC §3 requires; a Lambda authorizer answers 403 to both.';
const withoutAuthorizer: Record<Access, string> = {
  public: 'Public by design (SPEC §3): a health probe or the API description, reading no data.',
  console:
    'The console’s static files (SPEC §3, §12), public by design: they hold no data; every API ' +
    'call the page makes is authenticated by the functions.',
  session:
    'Console sign-in checks the token in its body (401 when not valid, as SPEC §12 requires) and ' +
    'sign-out only clears a cookie; no authorizer can answer either.',
  webhook:
    'Webhook senders sign each delivery (Standard Webhooks, SPEC §2); the function verifies the ' +
    'signature against the source secret and answers 401, which no API Gateway authorizer can do.',
  viewer: tokenChecked,
  reviewer: tokenChecked,
  admin: tokenChecked,
};

/** One access-log line per request, as JSON so CloudWatch Logs Insights can query its fields. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The HTTP API: one route per entry of `routes` in `lambdas/system.ts`, each to its function.
 * Routing inside a function uses the same route keys, so the two cannot disagree.
 */
export class FlywheelApi extends Construct {
  readonly url: string;

  constructor(scope: Construct, id: string, { functions }: FlywheelApiProps) {
    super(scope, id);
    // No generated default stage: HttpApi offers no access-log settings for it. The stage below
    // carries access logs and throttling.
    const api = new HttpApi(this, 'HttpApi', {
      description: 'Flywheel: signed webhooks, admin and read API',
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      // Far above what admins and webhook senders need; caps what a flood can cost, since
      // every request is a Lambda invocation.
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: accessLogFormat,
      },
    });
    this.url = stage.url;

    // One integration per function, shared by its routes: a single API Gateway integration each.
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(name);
      if (existing) return existing;
      const created = new HttpLambdaIntegration(`${name}Integration`, functions[name]);
      integrations.set(name, created);
      return created;
    };

    for (const route of routes) {
      const created = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.function),
      });
      for (const httpRoute of created) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: withoutAuthorizer[route.access],
        });
      }
    }

    // Requests matching no route get SPEC §3's JSON 404 from the function, not API Gateway's own
    // `{"message":"Not Found"}`.
    const unmatched = new HttpRoute(this, 'UnmatchedRoute', {
      httpApi: api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrationOf(unmatchedRoutesFunction),
    });
    Validations.of(unmatched).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Reads nothing: the function answers every request on this route with a JSON 404.',
    });
  }
}
