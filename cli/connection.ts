import { UsageError } from './errors.js';

/** Where the API is and how to sign in (SPEC §11: `FLYWHEEL_URL`, `FLYWHEEL_TOKEN` or flags). */
export interface Connection {
  /** The API's base URL without a trailing slash, e.g. `http://localhost:3000`. */
  readonly url: string;
  /** Where `url` came from, named in the hint when the API cannot be reached. */
  readonly urlSource: '--url' | 'FLYWHEEL_URL' | 'default';
  readonly token: string | undefined;
  /** Where `token` came from, named in the hint of a 401. */
  readonly tokenSource: '--token' | 'FLYWHEEL_TOKEN' | 'FLYWHEEL_ADMIN_TOKEN' | undefined;
}

export const defaultUrl = 'http://localhost:3000';

type Environment = Readonly<Record<string, string | undefined>>;

/** A set, non-blank value; an empty variable counts as unset, as shells make them easily. */
const given = (value: string | undefined) =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined;

/**
 * The connection from the flags first, then the environment: `--url`, else `FLYWHEEL_URL`, else
 * `http://localhost:3000` (local mode's default, SPEC §6); `--token`, else `FLYWHEEL_TOKEN`, else
 * `FLYWHEEL_ADMIN_TOKEN` (the bootstrap token local mode prints), else none.
 * @throws UsageError when the URL is not an http(s) URL.
 */
export function connectionFrom(
  flags: { readonly url?: string | undefined; readonly token?: string | undefined },
  environment: Environment,
): Connection {
  const flagUrl = given(flags.url);
  const envUrl = given(environment.FLYWHEEL_URL);
  const url = flagUrl ?? envUrl ?? defaultUrl;
  const urlSource = flagUrl ? '--url' : envUrl ? 'FLYWHEEL_URL' : 'default';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new UsageError(`${urlSource} is not a URL: ${JSON.stringify(url)}`, { cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${urlSource} must be an http:// or https:// URL, got ${url}`);
  }
  const sources = [
    ['--token', given(flags.token)],
    ['FLYWHEEL_TOKEN', given(environment.FLYWHEEL_TOKEN)],
    ['FLYWHEEL_ADMIN_TOKEN', given(environment.FLYWHEEL_ADMIN_TOKEN)],
  ] as const;
  const found = sources.find(([, value]) => value !== undefined);
  return {
    url: url.replace(/\/+$/, ''),
    urlSource,
    token: found?.[1],
    tokenSource: found?.[0],
  };
}
