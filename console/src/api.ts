/**
 * The console's only way to the data: the HTTP API of SPEC §3 and §7–§10, on the same origin,
 * authenticated by the session cookie the browser sends by itself (SPEC §12). The token is never
 * kept by the page: it is sent once, to sign in.
 */

/** The API refused or failed; `message` is its own `{ error }`, shown as it is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Role = 'viewer' | 'reviewer' | 'admin';

/** `GET /console/session`: who is signed in. */
export interface Session {
  readonly actor: string;
  readonly role: Role;
  readonly expiresAt: string | null;
}

const rank: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };

/** Whether a role includes another (SPEC §8), to hide what the API would refuse anyway. */
export const roleAllows = (held: Role, needed: Role): boolean => rank[held] >= rank[needed];

/** Listeners told when the API answers 401: the session has ended. */
const onSignedOut = new Set<() => void>();
export const whenSignedOut = (listener: () => void): (() => void) => {
  onSignedOut.add(listener);
  return () => onSignedOut.delete(listener);
};

/** One API call; JSON in and out. A non-2xx answer throws an `ApiError` in the API's words. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: 'same-origin',
  });
  if (response.status === 401 && path !== '/console/session') {
    for (const listener of onSignedOut) listener();
  }
  if (!response.ok) throw new ApiError(response.status, await errorText(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not the API's JSON (a proxy's page): say what happened instead.
  }
  return `The API answered ${response.status} ${response.statusText}`.trim();
}

/** A path with its query; empty values are left out. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const enc = encodeURIComponent;
