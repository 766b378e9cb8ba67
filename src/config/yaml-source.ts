/**
 * Reading and parsing models.yml text: size/type checks before parsing, YAML syntax errors with
 * file:line:col and the offending line, duplicate keys collected (not fatal), and a `locate`
 * that maps a path in the document to its line and column.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from '../core/errors.js';
import type { Path } from './interpolate.js';

export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

export interface Position {
  line: number;
  col: number;
}

export interface DuplicateKey {
  path: Path;
  line: number;
  col: number;
  firstLine: number;
}

export interface ParsedYaml {
  data: unknown;
  duplicates: DuplicateKey[];
  /** Position of the node at `path` (a map key's own position for map entries), or of its nearest existing ancestor. */
  locate(path: Path): Position | null;
}

/** Read a config file as text, refusing directories, huge files and binary content with one clear line. */
export function readConfigText(path: string, what = 'config file', shown: string = path): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory())
      throw new ConfigError(`${what} ${shown} is a directory, expected a YAML file`, { file: shown });
    size = st.size;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ConfigError(`${what} ${shown} not found (create one with \`modelpin init\`)`, {
        file: shown,
        details: { reason: 'not_found' },
      });
    throw new ConfigError(`${what} ${shown} cannot be read (${code ?? 'error'})`, { file: shown });
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new ConfigError(`${what} ${shown} is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB`, {
      file: shown,
    });
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ConfigError(`${what} ${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      file: shown,
    });
  }
  return decodeText(buf, shown, what);
}

export function decodeText(buf: Uint8Array, path: string, what = 'config file'): string {
  if (buf.includes(0)) throw new ConfigError(`${what} ${path} is binary, not YAML text`, { file: path });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    throw new ConfigError(`${what} ${path} is not UTF-8 text`, { file: path });
  }
}

/** A YAML syntax error as file:line:col, the message, and the offending line with a caret under the column. */
export function yamlSyntaxError(
  text: string,
  file: string,
  err: { message: string; pos: [number, number] },
  lineCounter: LineCounter,
): ConfigError {
  const pos = lineCounter.linePos(err.pos[0]);
  const lineText = text.split(/\r?\n/)[pos.line - 1] ?? '';
  const msg = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'syntax error';
  return new ConfigError(
    `${file}:${pos.line}:${pos.col}: YAML syntax error: ${msg}\n  ${pos.line} | ${lineText}\n  ${' '.repeat(String(pos.line).length)} | ${' '.repeat(Math.max(0, pos.col - 1))}^`,
    { file, line: pos.line, col: pos.col },
  );
}

export function parseYamlText(text: string, file: string): ParsedYaml {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError(`${file} is larger than 5 MB`, { file });
  if (text.trim() === '' || /^(\s*#[^\n]*\n?)*\s*$/.test(text))
    throw new ConfigError(`${file} is empty; run \`modelpin init\` for a starter models.yml`, { file });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const err = doc.errors[0];
  if (err) throw yamlSyntaxError(text, file, err, lineCounter);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  const at = (offset: number): Position => lineCounter.linePos(offset);
  return { data, duplicates: findDuplicates(doc, at), locate: (path) => locateIn(doc, path, at) };
}

function keyText(k: unknown): string | null {
  if (isScalar(k)) return String(k.value);
  return null;
}

function findDuplicates(doc: Document, at: (o: number) => Position): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const walk = (node: unknown, path: Path): void => {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const k = keyText(pair.key);
        if (k === null) continue;
        const start = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        const first = seen.get(k);
        if (first !== undefined) {
          const p = at(start);
          out.push({ path: [...path, k], line: p.line, col: p.col, firstLine: at(first).line });
        } else seen.set(k, start);
        walk(pair.value, [...path, k]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(doc.contents, []);
  return out;
}

function locateIn(doc: Document, path: Path, at: (o: number) => Position): Position | null {
  let node: unknown = doc.contents;
  let found: Position | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      // YAML keeps the last of duplicate keys, so point at the last one too.
      const pair = [...node.items].reverse().find((p) => keyText(p.key) === String(seg));
      if (!pair) return found;
      const k = pair.key as Node | null;
      const start = k && isScalar(k) ? k.range?.[0] : undefined;
      if (start !== undefined) found = at(start);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return found;
      const start = item.range?.[0];
      if (start !== undefined) found = at(start);
      node = item;
    } else return found;
  }
  if (path.length === 0) return null;
  return found;
}
