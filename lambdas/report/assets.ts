/**
 * The binary files chart rendering needs at run time: resvg's WebAssembly module and the Inter
 * fonts. resvg-wasm has no system fonts, and without a font it drops text silently, so a missing
 * file is an error here rather than a chart without labels.
 *
 * Where they are found, first match wins:
 * 1. `$FLYWHEEL_REPORT_ASSETS_DIR/` — set it to override;
 * 2. the directory of this module, i.e. beside the Lambda bundle — where the CDK stack copies them;
 * 3. the installed packages (`@resvg/resvg-wasm`, `@fontsource/inter`), for tests and local mode.
 * In 1 and 2 the files are named as `reportAssetFiles` says:
 * `resvg.wasm` (from `@resvg/resvg-wasm/index_bg.wasm`),
 * `inter-400.woff2` (from `@fontsource/inter/files/inter-latin-400-normal.woff2`),
 * `inter-700.woff2` (from `@fontsource/inter/files/inter-latin-700-normal.woff2`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable naming a directory that holds the files of `reportAssetFiles`. */
export const REPORT_ASSETS_DIR_ENV = 'FLYWHEEL_REPORT_ASSETS_DIR';

/** The file names expected in an assets directory (override or beside the bundle). */
export const reportAssetFiles = {
  wasm: 'resvg.wasm',
  regular: 'inter-400.woff2',
  bold: 'inter-700.woff2',
} as const;

/**
 * Where each file comes from when bundling, as package specifiers. The Latin subset is enough:
 * charts only print month names and numbers, never account or member names.
 */
export const reportAssetSources = {
  wasm: '@resvg/resvg-wasm/index_bg.wasm',
  regular: '@fontsource/inter/files/inter-latin-400-normal.woff2',
  bold: '@fontsource/inter/files/inter-latin-700-normal.woff2',
} as const;

type AssetName = keyof typeof reportAssetFiles;
export type ReportAssetPaths = Record<AssetName, string>;

export interface ReportAssets {
  readonly wasm: Uint8Array;
  /** Regular and bold Inter, WOFF2: resvg reads WOFF2 and TTF, not WOFF v1. */
  readonly fonts: readonly Uint8Array[];
}

/** A file chart rendering needs is missing or unreadable: a packaging fault, not bad data. */
export class ReportAssetsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReportAssetsError';
  }
}

const names = Object.keys(reportAssetFiles) as AssetName[];

const inDirectory = (dir: string): ReportAssetPaths =>
  Object.fromEntries(
    names.map((name) => [name, join(dir, reportAssetFiles[name])]),
  ) as ReportAssetPaths;

/** The installed packages' files; `null` once bundled, where `node_modules` is gone. */
function fromPackages(): ReportAssetPaths | null {
  try {
    const require = createRequire(import.meta.url);
    return Object.fromEntries(
      names.map((name) => [name, require.resolve(reportAssetSources[name])]),
    ) as ReportAssetPaths;
  } catch {
    return null;
  }
}

/** Where the assets are read from (see the module comment for the order). */
export function reportAssetPaths(env: NodeJS.ProcessEnv = process.env): ReportAssetPaths {
  const override = env[REPORT_ASSETS_DIR_ENV];
  if (override) return inDirectory(override);
  const beside = inDirectory(dirname(fileURLToPath(import.meta.url)));
  if (existsSync(beside.wasm)) return beside;
  const packages = fromPackages();
  if (packages) return packages;
  throw new ReportAssetsError(
    `chart assets not found: copy ${Object.values(reportAssetFiles).join(', ')} beside the ` +
      `bundle or set ${REPORT_ASSETS_DIR_ENV} to their directory`,
  );
}

async function read(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new ReportAssetsError(`cannot read chart asset ${path}`, { cause });
  }
}

/** Reads the wasm module and both fonts from `reportAssetPaths()`. */
export async function loadReportAssets(
  paths: ReportAssetPaths = reportAssetPaths(),
): Promise<ReportAssets> {
  // Read together, but a failure names the first missing file in this order, whichever read
  // failed first: the same broken package always gives the same message.
  const reads = await Promise.allSettled([read(paths.wasm), read(paths.regular), read(paths.bold)]);
  const failed = reads.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [wasm, regular, bold] = reads.map(
    (r) => (r as PromiseFulfilledResult<Uint8Array>).value,
  ) as [Uint8Array, Uint8Array, Uint8Array];
  return { wasm, fonts: [regular, bold] };
}
