import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { packageRoot } from '../core/package-root.js';

/**
 * A throwaway project for the demo: the shipped example models.yml, eval suites and broken.yml,
 * a floating day-one.yml,
 * with an admin token wired to an env var so live rollback and canary go through the admin API.
 */
export function createDemoWorkspace(dir?: string): string {
  const root = packageRoot();
  const ws = dir ?? mkdtempSync(path.join(os.tmpdir(), 'modelpin-demo-'));
  const examples = path.join(root, 'examples');
  cpSync(path.join(examples, 'broken.yml'), path.join(ws, 'broken.yml'));
  // Day one for a team whose production follows a floating alias: the plain shape, unpinned.
  const plain = readFileSync(path.join(examples, 'plain-models.yml'), 'utf8');
  writeFileSync(
    path.join(ws, 'day-one.yml'),
    plain.replace('production: sim-chat-2026-01-15', 'production: sim-chat-latest   # follows the alias'),
  );
  cpSync(path.join(examples, 'evals'), path.join(ws, 'evals'), { recursive: true });
  const doc = parseDocument(readFileSync(path.join(examples, 'models.yml'), 'utf8'));
  doc.setIn(['gateway', 'admin_token'], '${MODELPIN_ADMIN_TOKEN}');
  // The schema pointer in the example is relative to examples/; point it at the package copy.
  const text = doc
    .toString()
    .replace('$schema=../schema/models.schema.json', `$schema=${path.join(root, 'schema', 'models.schema.json')}`);
  writeFileSync(path.join(ws, 'models.yml'), text);
  return ws;
}
