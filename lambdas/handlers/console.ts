import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import {
  type ConsoleFile,
  consoleDirectory,
  loadConsoleFiles,
  securityHeaders,
} from '../console/console-files.js';
import { malformedEncoding } from '../http/percent-encoding.js';
import { instrumented } from '../runtime/instrument.js';

let files: ReadonlyMap<string, ConsoleFile> | undefined;

const answer = (
  statusCode: number,
  headers: Record<string, string>,
  body = '',
  isBase64Encoded = false,
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { ...securityHeaders, ...headers },
  body,
  isBase64Encoded,
});

const error = (statusCode: number, message: string) =>
  answer(statusCode, { 'content-type': 'application/json' }, JSON.stringify({ error: message }));

/** `/console/` is the page; `/console/<name>` one of its files; anything deeper is no file. */
function fileName(rawPath: string): string | undefined {
  if (rawPath === '/console/') return 'index.html';
  const name = /^\/console\/([A-Za-z0-9._-]+)$/.exec(rawPath)?.[1];
  return name === undefined || name.startsWith('.') ? undefined : name;
}

/**
 * The console's files (SPEC §12), from the same origin as the API: `GET /console` redirects to
 * `/console/`, which is `index.html` (never cached, so a deploy shows at once); the scripts and
 * styles it names have hashed names and are cached for a year. Every answer carries the strict
 * Content-Security-Policy; gzip when the browser takes it. This function reads no data.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2, _context: Context) => {
  const malformed = malformedEncoding(event.rawPath, event.rawQueryString);
  if (malformed) return error(400, malformed);
  if (event.rawPath === '/console') return answer(308, { location: '/console/' });
  files ??= loadConsoleFiles(consoleDirectory());
  if (!files)
    return error(503, 'The console is not built here: run npm start, or deploy the stack');
  const name = fileName(event.rawPath);
  const file = name === undefined ? undefined : files.get(name);
  if (!file) return error(404, `No console file ${event.rawPath}`);
  const headers = {
    'content-type': file.contentType,
    'cache-control': file.cacheControl,
    vary: 'accept-encoding',
  };
  const gzip = /\bgzip\b/.test(event.headers['accept-encoding'] ?? '');
  return gzip
    ? answer(200, { ...headers, 'content-encoding': 'gzip' }, file.gzipped.toString('base64'), true)
    : answer(200, headers, file.body.toString('base64'), true);
});
