/**
 * `modelpin scan`: list files, pre-filter, extract candidates, classify with the catalog, report.
 * File reads are the only effects; the catalog and the day come in from the caller.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import type { Catalog, Classification } from '../catalog/catalog.js';
import type { ModelsFile } from '../config/schema.js';
import { extractCandidates, fileKind, literalHeads, prefilterFor } from './extract.js';
import { listFiles, MAX_FILE_BYTES } from './files.js';
import { findingsFor, type RouteTarget, type ScanFinding } from './findings.js';

export interface ScanOptions {
  paths: readonly string[];
  cwd: string;
  catalog: Catalog;
  /** The catalog ids and id-pattern heads the pre-filter looks for. */
  knownIds: readonly string[];
  idPatterns: readonly string[];
  today: string;
  withinDays: number;
  bypass: boolean;
  /** models.yml, when there is one: its routes feed the fix hints, and the file itself is left to `lint`. */
  config?: { path: string; file: ModelsFile };
  /** Use `git ls-files` inside a work tree (default true). */
  git?: boolean;
}

export interface ScanResult {
  findings: ScanFinding[];
  /** Files listed after ignore rules. */
  files: number;
  /** Files whose text matched the pre-filter and was searched line by line. */
  searched: number;
  skipped: { large: number; binary: number };
  source: 'git' | 'walk';
  today: string;
  catalogAsOf: string;
}

export function routeTargets(file: ModelsFile): RouteTarget[] {
  const out: RouteTarget[] = [];
  for (const [route, r] of Object.entries(file.routes)) {
    for (const [env, t] of Object.entries(r.targets)) {
      const ref = typeof t === 'string' ? t : `${t.provider}/${t.model}`;
      const slash = ref.indexOf('/');
      out.push({ route, env, provider: ref.slice(0, slash), model: ref.slice(slash + 1) });
    }
  }
  // Production first: that is the route people should call.
  return out.sort((a, b) => Number(b.env === 'production') - Number(a.env === 'production'));
}

/** The file's bytes, 'large' past the size limit (never read), or null when it cannot be read. */
function readSmall(abs: string): Buffer | 'large' | null {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return 'large';
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

const isConfigName = (f: string): boolean => /^models\.ya?ml$/.test(basename(f));

export function scan(o: ScanOptions): ScanResult {
  const { files, source } = listFiles(o.paths, o.cwd, o.git === false ? { git: false } : {});
  const prefilter = prefilterFor(o.knownIds, literalHeads(o.idPatterns));
  const cache = new Map<string, Classification>();
  const classify = (v: string): Classification => {
    let c = cache.get(v);
    if (!c) {
      c = o.catalog.classify(v, undefined, { at: o.today });
      cache.set(v, c);
    }
    return c;
  };
  const configAbs = o.config ? resolve(o.cwd, o.config.path) : undefined;
  const routes = o.config ? routeTargets(o.config.file) : [];
  const findings: ScanFinding[] = [];
  const skipped = { large: 0, binary: 0 };
  let searched = 0;
  for (const abs of files) {
    if (abs === configAbs || isConfigName(abs)) continue;
    const buf = readSmall(abs);
    if (buf === 'large') {
      skipped.large++;
      continue;
    }
    if (buf === null) continue;
    if (buf.subarray(0, 8000).includes(0)) {
      skipped.binary++;
      continue;
    }
    const text = buf.toString('utf8');
    if (!prefilter.test(text)) continue;
    searched++;
    const rel = relative(o.cwd, abs).split(sep).join('/');
    const shown = rel.startsWith('..') ? abs : rel;
    findings.push(
      ...findingsFor(shown, extractCandidates(text, fileKind(abs), prefilter), classify, {
        today: o.today,
        withinDays: o.withinDays,
        bypass: o.bypass,
        routes,
      }),
    );
  }
  return { findings, files: files.length, searched, skipped, source, today: o.today, catalogAsOf: o.catalog.asOf };
}
