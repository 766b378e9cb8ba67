import { describe, expect, it } from 'vitest';
import { sanitizeUpstreamText, scrubSecrets, secretForms } from '../../src/core/secret-text.js';
import { rateLimitedLogger, secretScrubbingLogger, type LogLevel } from '../../src/core/logger.js';
import { parseConfig } from '../../src/config/load.js';

describe('secret text', () => {
  it('cuts a secret out as is, JSON-escaped and URL-encoded, and ignores values too short to matter', () => {
    const forms = secretForms(['p"a/ss word', 'v1', undefined]);
    const text = `raw p"a/ss word json ${JSON.stringify('p"a/ss word')} url ${encodeURIComponent('p"a/ss word')} v1`;
    expect(scrubSecrets(text, forms)).toBe('raw [redacted] json "[redacted]" url [redacted] v1');
  });

  it('makes upstream text plain, one line and short', () => {
    const page = `<html><head><script>var k="x"</script><style>p{}</style></head><body><!-- c --><h1>503 &amp; down</h1>\u001b[31m red\u0000\u202e</body></html>${'<p>more</p>'.repeat(500)}`;
    const out = sanitizeUpstreamText(page);
    expect(out.startsWith('503 & down red more')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(301);
    // eslint-disable-next-line no-control-regex -- asserts control characters are gone
    expect(out).not.toMatch(/[<>\u0000-\u001f\u202e]|var k|p\{\}/);
    expect(sanitizeUpstreamText('max_tokens > 4096 and < 1')).toBe('max_tokens > 4096 and < 1');
  });
});

describe('loggers', () => {
  it('cut configured secrets out of every message and field, whatever it is called', () => {
    const lines: unknown[] = [];
    const log = secretScrubbingLogger({ log: (level, msg, fields) => void lines.push({ level, msg, fields }) }, () =>
      secretForms(['hunter2-secret']),
    );
    log.log('warn', 'upstream said hunter2-secret', {
      error: 'echo: hunter2-secret',
      nested: [{ text: 'x hunter2-secret' }],
    });
    expect(JSON.stringify(lines)).not.toContain('hunter2-secret');
    expect(JSON.stringify(lines)).toContain('[redacted]');
  });

  it('rate-limits a repeated line and says how many it held back', () => {
    let t = 0;
    const lines: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> = [];
    const log = rateLimitedLogger(
      { log: (level, msg, fields) => void lines.push({ level, msg, ...(fields ? { fields } : {}) }) },
      1000,
      () => t,
    );
    for (let i = 0; i < 5; i++) log.log('warn', 'flood', { i });
    log.log('warn', 'other');
    t = 1500;
    log.log('warn', 'flood', { i: 9 });
    expect(lines).toEqual([
      { level: 'warn', msg: 'flood', fields: { i: 0 } },
      { level: 'warn', msg: 'other' },
      { level: 'warn', msg: 'flood', fields: { i: 9, suppressed: 4 } },
    ]);
  });
});

describe('config secrets', () => {
  it('lists env values in provider blocks and header values written literally', () => {
    const loaded = parseConfig(
      `providers:
  up: { type: openai, base_url: "\${UP_URL}", api_key: "\${UP_KEY}", headers: { x-team: "literal-team-value", x-token: "\${TOK}" } }
routes:
  r: { targets: { production: "up/\${MODEL}" } }
`,
      'models.yml',
      {
        env: { UP_URL: 'http://127.0.0.1:9/v1', UP_KEY: 'key-value-1', TOK: 'token-value-2', MODEL: 'model-from-env' },
      },
    );
    for (const s of ['http://127.0.0.1:9/v1', 'key-value-1', 'token-value-2', 'literal-team-value'])
      expect(loaded.secrets).toContain(s);
    // Model ids stay readable.
    expect(loaded.secrets).not.toContain('model-from-env');
    expect(loaded.redact('at http://127.0.0.1:9/v1 with token-value-2 for model-from-env')).toBe(
      'at *** with *** for model-from-env',
    );
  });
});
