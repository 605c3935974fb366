import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionSpec } from '../lambdas/system.js';

const require = createRequire(import.meta.url);

/** The repository root: the declaration's entries, the lock file and tsconfig live there. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The AWS SDK and other CommonJS dependencies call `require` inside the ESM bundle; Node's
 * `createRequire` gives them one (else "Dynamic require of node:https is not supported").
 */
export const createRequireBanner =
  'import{createRequire}from"node:module";const require=createRequire(import.meta.url);';

/**
 * How each function is bundled: one description that the stack (`lib/functions.ts`, through
 * `NodejsFunction`) and the benchmark (`bench/bundles.ts`, through esbuild itself) both use, so
 * the sizes the benchmark prints are the sizes that ship.
 */
export interface BundleSettings {
  readonly format: 'esm';
  readonly target: string;
  readonly mainFields: readonly string[];
  readonly minify: true;
  /**
   * No source map: with `--enable-source-maps` Node parses the map at cold start (1.2–3.3 MB
   * here), and minified frames still name our functions well enough with the logs' context.
   */
  readonly sourcemap: false;
  readonly banner: string;
  /** React and React Email pick their production builds from it. */
  readonly define: Readonly<Record<string, string>>;
  /** Modules left out: imported only on paths Flywheel never takes. */
  readonly external: readonly string[];
  /** Module → absolute file that replaces it in the bundle. */
  readonly alias: Readonly<Record<string, string>>;
}

/**
 * What the report function leaves out of its bundle. React Email's `render` loads Prettier only
 * for `{ pretty: true }` and its HTML parsers only for `{ plainText: true }`, neither of which the
 * report uses; `react-dom/server` on Node also loads the legacy string renderer beside the stream
 * renderer `render` calls. Together ~500 KB of the report's JavaScript.
 */
const plainTextShim = join(repositoryRoot, 'lambdas/report/shims/plain-text.ts');

const reportExclusions = {
  external: ['prettier'],
  alias: {
    'html-to-text': plainTextShim,
    html5parser: plainTextShim,
    'entities/lib/decode.js': plainTextShim,
    'react-dom/server': join(
      dirname(require.resolve('react-dom/package.json')),
      'cjs/react-dom-server.node.production.js',
    ),
  },
} as const;

/** Every function reads its credentials from Lambda's environment alone (see the shim). */
const lambdaCredentials = {
  '@aws-sdk/credential-provider-node': join(
    repositoryRoot,
    'lambdas/runtime/shims/lambda-credentials.ts',
  ),
} as const;

export function bundleSettings(spec: Pick<FunctionSpec, 'rendersCharts'>): BundleSettings {
  return {
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    banner: createRequireBanner,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    external: spec.rendersCharts ? reportExclusions.external : [],
    alias: { ...lambdaCredentials, ...(spec.rendersCharts ? reportExclusions.alias : {}) },
  };
}
