/**
 * SPEC §3: a path or query string whose percent-encoding is malformed is a 400 on every route.
 * Shared by the router and the console's file server, which has no router.
 */

const decodable = (text: string): boolean => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

/** What is malformed in a raw path and query string, as a message for the caller; else `undefined`. */
export function malformedEncoding(rawPath: string, rawQueryString: string): string | undefined {
  if (!decodable(rawPath)) {
    return 'The path has malformed percent-encoding (e.g. %ZZ or a cut %E0%A4)';
  }
  const query = rawQueryString.split('&').map((part) => part.replaceAll('+', ' '));
  if (!query.every(decodable)) {
    return 'The query string has malformed percent-encoding (e.g. %ZZ)';
  }
  return undefined;
}
