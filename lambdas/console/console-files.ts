/**
 * The console's built files as the console function serves them (SPEC §12): read once from the
 * directory the build wrote (`console/build.ts`), gzipped once, and answered with the headers
 * every console response carries. Pure file serving: no data, no token, no AWS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { env } from '../system.js';

/** One file, ready to answer. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

/**
 * Strict: scripts, styles, images and API calls from this origin only — no inline script or
 * style, no eval — and no page may frame the console. `frame-src 'self'` lets the Reports page
 * preview a report from `/reports/{month}` in a sandboxed frame.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Headers of every console response, files, redirects and errors alike. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000',
};

/** A name the build gave a content hash (`app-5KXQ2ZJ3.js`): it never changes, so it is cached for a year. */
export const hashedName = /-[A-Z0-9]{8}\.(js|css)$/;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Where the built console is: `FLYWHEEL_CONSOLE_ASSETS` (local mode sets it), else `console/`
 * beside this module — beside the Lambda bundle, where the stack copies the build.
 */
export function consoleDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  return environment[env.consoleAssets] || join(dirname(fileURLToPath(import.meta.url)), 'console');
}

/**
 * Every file of a built console by name, or `undefined` when the directory holds no build.
 * Only these names are ever served: a request cannot reach any other file.
 */
export function loadConsoleFiles(dir: string): ReadonlyMap<string, ConsoleFile> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  for (const name of readdirSync(dir)) {
    const contentType = contentTypes[extname(name)];
    if (!contentType) continue;
    const body = readFileSync(join(dir, name));
    files.set(name, {
      body,
      gzipped: gzipSync(body, { level: 9 }),
      contentType,
      cacheControl: hashedName.test(name)
        ? 'public, max-age=31536000, immutable'
        : name === 'index.html'
          ? 'no-cache'
          : 'public, max-age=300',
    });
  }
  return files;
}
