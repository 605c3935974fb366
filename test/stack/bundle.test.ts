import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { reportAssetFiles } from '../../lambdas/report/assets.js';
import { functions } from '../../lambdas/system.js';
import { createRequireBanner } from '../../lib/bundling.js';
import { synthesize } from './synth.js';

let dispose = () => {};
afterAll(() => dispose());

/**
 * Issue #17's target: 600 KB for every function but the report. Reached for the api function by
 * reading credentials from Lambda's environment only (`lambdas/runtime/shims/lambda-credentials.ts`),
 * which drops the default chain's STS and SSO clients from every bundle, and by serving
 * `GET /openapi.json` from a `docs` function of its own.
 */
const limits: Record<string, number> = {};

it('bundles every declared function as an ESM index.mjs that exports handler', () => {
  // The whole of `cdk synth`: bundling, cdk-nag and CloudFormation's template validation, any of
  // which fails the synth. Inside the test, so the timeout below covers esbuild's work.
  const synthesized = synthesize({ bundle: true, nag: true, cfnValidation: true });
  dispose = synthesized.dispose;
  const lambdas = Object.values(synthesized.template.findResources('AWS::Lambda::Function'));
  expect(lambdas).toHaveLength(Object.keys(functions).length);
  for (const lambda of lambdas) {
    const name = lambda.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
    // The staged asset directory is named after the hash that is also the S3 key.
    const hash = String(lambda.Properties.Code.S3Key).replace(/\.zip$/, '');
    const asset = join(synthesized.outdir, `asset.${hash}`);
    const code = readFileSync(join(asset, 'index.mjs'), 'utf8');
    // The banner comes first: the AWS SDK's CommonJS requires run at import time.
    expect(code.startsWith(createRequireBanner), name).toBe(true);
    expect(code, name).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b/);
    expect(code, name).not.toMatch(/\bmodule\.exports\b\s*=\s*__toCommonJS/);
    // No source map: Node would parse it at every cold start (issue #17).
    expect(existsSync(join(asset, 'index.mjs.map')), name).toBe(false);
    const packageBytes = readdirSync(asset).reduce(
      (sum, file) => sum + statSync(join(asset, file)).size,
      0,
    );
    // Sizes are deterministic for a given lock file; times are not, so they live in the bench.
    if (name === 'report') expect(packageBytes, name).toBeLessThanOrEqual(4_000_000);
    else
      expect(statSync(join(asset, 'index.mjs')).size, name).toBeLessThanOrEqual(
        limits[name] ?? 600_000,
      );
    // Chart rendering finds resvg's wasm and the fonts beside the bundle, or draws no text.
    if (functions[name as keyof typeof functions].rendersCharts) {
      for (const file of Object.values(reportAssetFiles)) {
        expect(statSync(join(asset, file)).size, `${name}: ${file}`).toBeGreaterThan(10_000);
      }
    }
  }
}, 120_000);
