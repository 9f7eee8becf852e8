// DSN parsing and password masking. Every DSN that reaches output, a log or an error goes through maskDsn.

export interface Dsn {
  protocol: 'mysql' | 'postgres';
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
  /** The DSN as given, for the drivers. */
  url: string;
}

const DEFAULT_PORTS = { mysql: 3306, postgres: 5432 } as const;
const PROTOCOLS: Record<string, Dsn['protocol']> = { 'mysql:': 'mysql', 'mariadb:': 'mysql', 'postgres:': 'postgres', 'postgresql:': 'postgres' };

export class DsnError extends Error {}

/** Parses `mysql://user:pass@host:port/db` or `postgres://...`; throws a one-line DsnError naming what is wrong. */
export function parseDsn(raw: string, expected: Dsn['protocol'], label: string): Dsn {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new DsnError(`${label} is not a valid URL: expected ${expected}://user[:password]@host[:port]/database`);
  }
  const protocol = PROTOCOLS[parsed.protocol];
  if (protocol !== expected) {
    throw new DsnError(`${label} must be a ${expected}:// URL, got ${parsed.protocol}// (${maskDsn(raw)})`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) {
    throw new DsnError(`${label} names no database: add it to the path, e.g. ${expected}://${parsed.host || 'host'}/shop`);
  }
  if (!parsed.hostname) throw new DsnError(`${label} names no host (${maskDsn(raw)})`);
  // libpq and mysql2 both take `?password=`: honour it, but not beside a password in the user part.
  const queryPassword = parsed.searchParams.get('password');
  if (queryPassword !== null && parsed.password) throw new DsnError(`${label} gives two passwords, in the user part and as the password parameter (${maskDsn(raw)}); keep one`);
  return {
    protocol,
    user: decodeURIComponent(parsed.username) || (protocol === 'mysql' ? 'root' : 'postgres'),
    password: queryPassword ?? decodeURIComponent(parsed.password),
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[protocol],
    database,
    url: raw,
  };
}

/** Query parameters that carry a credential (password, sslpassword, token, access_token, api_key, secret ...). */
const CREDENTIAL_PARAMETER = /(pass(word)?|pwd|secret|token|api_?key)$/i;
/** `name=value` after `?` or `&`, up to the next `&`, `#`, white space, quote or parenthesis (a DSN quoted in a message). */
const QUERY_PARAMETER = /([?&])([^=&#\s]+)=([^&#\s'"()]+)/g;

function maskCredentialParameters(text: string): string {
  return text.replace(QUERY_PARAMETER, (whole, separator: string, name: string) => (CREDENTIAL_PARAMETER.test(name) ? `${separator}${name}=***` : whole));
}

/** Replaces the password of a URL-shaped DSN, and every credential in its query, with ***; leaves anything else untouched. */
export function maskDsn(raw: string): string {
  // Up to the last '@' before the path: a password may hold a raw '@'.
  const masked = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^/]*@/i, '$1:***@');
  const query = masked.indexOf('?');
  return query < 0 ? masked : masked.slice(0, query) + maskCredentialParameters(masked.slice(query));
}

/** Removes every known secret from a message, whatever shape it arrived in. */
export function redactSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return maskCredentialParameters(out.replace(/(:\/\/[^:@/\s]*):[^/\s]*@/g, '$1:***@'));
}
