/**
 * Each function's bundle as the stack builds it (`lib/bundling.ts`), its size and its cold import
 * time, beside a bundle of only the bare AWS SDK clients it uses: how much of a cold start is ours.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { reportAssetSources } from '../lambdas/report/assets.js';
import { type FunctionName, functions } from '../lambdas/system.js';
import { bundleSettings, repositoryRoot } from '../lib/bundling.js';

const require = createRequire(import.meta.url);

/** Cold imports per bundle, each in a fresh Node process; the median is printed. */
const imports = 5;

export interface BundleFigures {
  readonly name: FunctionName;
  /** Bytes of minified JavaScript. */
  readonly jsBytes: number;
  /** JavaScript plus the files shipped beside it (the report's wasm and fonts). */
  readonly packageBytes: number;
  /** Median cold `import()` of the bundle, in ms. */
  readonly importMs: number;
  /** The AWS SDK packages it bundles, and the same for a bundle of only those. */
  readonly sdkPackages: readonly string[];
  readonly sdkBytes: number;
  readonly sdkImportMs: number;
}

/** Bundles a file, or (given `{ contents }`) source resolved from the repository root. */
async function bundle(
  entry: string | { contents: string },
  outfile: string,
  rendersCharts: boolean,
) {
  const settings = bundleSettings({ rendersCharts });
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: repositoryRoot, loader: 'js' as const } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: settings.format,
    target: settings.target,
    mainFields: [...settings.mainFields],
    minify: settings.minify,
    sourcemap: settings.sourcemap,
    banner: { js: settings.banner },
    define: { ...settings.define },
    external: [...settings.external],
    alias: { ...settings.alias },
    metafile: true,
    logLevel: 'error',
  });
  return Object.keys(result.metafile.inputs);
}

/** The client packages a bundle pulled in: `@aws-sdk/client-*` and `@aws-sdk/lib-dynamodb`. */
const sdkPackagesOf = (inputs: readonly string[]) =>
  [
    ...new Set(
      inputs.flatMap((input) => {
        const found = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(input);
        return found?.[1] ? [found[1]] : [];
      }),
    ),
  ].sort();

/** An entry that imports each package's client class and nothing else. */
function sdkEntry(packages: readonly string[]): string {
  return packages
    .map((pkg, i) => {
      const exports = Object.keys(require(pkg)).filter((name) => /Client$/.test(name));
      return `export { ${exports.map((name) => `${name} as c${i}_${name}`).join(', ')} } from '${pkg}';`;
    })
    .join('\n');
}

function coldImportMs(file: string): number {
  const script = `const t=process.hrtime.bigint();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times = Array.from({ length: imports }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          ...process.env,
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        encoding: 'utf8',
      }).trim(),
    ),
  ).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** Bundles every declared function and its bare SDK clients into a temporary directory. */
export async function benchBundles(): Promise<BundleFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-bundles-'));
  try {
    const figures: BundleFigures[] = [];
    for (const [name, spec] of Object.entries(functions) as [
      FunctionName,
      (typeof functions)[FunctionName],
    ][]) {
      const outfile = join(dir, name, 'index.mjs');
      const inputs = await bundle(join(repositoryRoot, spec.entry), outfile, spec.rendersCharts);
      const sdkPackages = sdkPackagesOf(inputs);
      const sdkFile = join(dir, `${name}-sdk`, 'index.mjs');
      await bundle({ contents: sdkEntry(sdkPackages) }, sdkFile, false);
      const jsBytes = statSync(outfile).size;
      const assets = spec.rendersCharts
        ? Object.values(reportAssetSources).reduce(
            (sum, source) => sum + statSync(require.resolve(source)).size,
            0,
          )
        : 0;
      figures.push({
        name,
        jsBytes,
        packageBytes: jsBytes + assets,
        importMs: coldImportMs(outfile),
        sdkPackages,
        sdkBytes: statSync(sdkFile).size,
        sdkImportMs: coldImportMs(sdkFile),
      });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
