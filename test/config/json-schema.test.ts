import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText } from '../../src/config/json-schema.js';

const root = join(import.meta.dirname, '..', '..');

describe('schema/models.schema.json', () => {
  it('is current with the zod schema (regenerate: modelpin schema --out schema/models.schema.json)', () => {
    expect(readFileSync(join(root, 'schema', 'models.schema.json'), 'utf8')).toBe(jsonSchemaText());
  });
  it('accepts the shipped examples (full and plain shape) and rejects a misspelt key', () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(jsonSchemaText()));
    for (const f of ['models.yml', 'plain-models.yml']) {
      const ok = validate(parse(readFileSync(join(root, 'examples', f), 'utf8')));
      expect(ok, `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
    expect(validate({ routes: { a: { targets: { production: 'sim/x' }, fallbak: [] } } })).toBe(false);
  });
});
