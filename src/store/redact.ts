/** Connection strings may carry passwords; anything shown to a user goes through here. */

/** `postgres://user:pw@host:5432/db?x` -> `postgres://user@host:5432/db`. Unparseable input is hidden entirely. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '[unparseable connection string]';
  }
}

/** `host:port/database` for messages, never credentials. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '') || '(default database)';
    return `PostgreSQL at ${u.hostname || 'localhost'}:${u.port || '5432'}/${db}`;
  } catch {
    return 'PostgreSQL (unparseable connection string)';
  }
}

/** Remove a known secret from free text (driver messages sometimes echo connection details). */
export function scrub(text: string, url: string): string {
  let out = text;
  try {
    const u = new URL(url);
    const secrets = [u.password, decodeURIComponent(u.password)].filter((s) => s.length >= 1);
    for (const s of secrets) out = out.split(s).join('***');
  } catch {
    // nothing parseable to scrub
  }
  return out.split(url).join(redactUrl(url));
}
