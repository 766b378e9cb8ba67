import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { yamlSyntaxError } from '../config/yaml-source.js';
import { ConfigError } from '../core/errors.js';
import type { Message, ResponseFormat } from '../wire/canonical.js';
import { caseSchema, suiteSchema, type RequestParams } from './suite-schema.js';
import type { LoadedCase, LoadedSuite } from './suite-types.js';
import { compileAssertion } from './assertions/registry.js';
import type { CompiledAssertion } from './assertions/types.js';
import { MissingVarError, render, renderDeep } from './template.js';
import { suiteError, zodToConfigError } from './issues.js';
import { importTypeScriptModule } from './ts-module.js';
import { expandCsvCases } from './csv-vars.js';
import { agentSpec, checkToolAssertions } from './tool-case-load.js';

const TS_EXT = /\.[cm]?ts$/;

/**
 * In a directory, YAML files are suites; code files only when named `*.suite.{ts,mts,js,mjs}`,
 * so helper modules (check functions) can live beside the suites.
 */
function isDirectorySuite(f: string): boolean {
  return /\.ya?ml$/.test(f) || /\.suite\.(ts|mts|js|mjs)$/.test(f);
}

/** Expand files and directories into suite files (a directory contributes its suite files, sorted). */
export function findSuiteFiles(paths: readonly string[], cwd: string = process.cwd()): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new ConfigError(`${p}: no such suite file or directory`, { file: p });
    }
    if (st.isDirectory()) {
      const files = readdirSync(abs).filter(isDirectorySuite).sort();
      out.push(...files.map((f) => join(abs, f)));
    } else out.push(abs);
  }
  return out;
}

function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel.startsWith('..') ? abs : rel;
}

export async function loadSuiteFile(path: string, cwd: string = process.cwd()): Promise<LoadedSuite> {
  const abs = resolve(cwd, path);
  const file = displayPath(abs, cwd);
  const ext = extname(abs);
  let raw: unknown;
  let hashSource: string;
  if (ext === '.yml' || ext === '.yaml') {
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new ConfigError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`, { file });
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const err = doc.errors[0];
    if (err) throw yamlSyntaxError(text, file, err, lineCounter);
    raw = doc.toJS() as unknown;
    hashSource = text;
  } else {
    raw = await importSuiteModule(abs, file);
    hashSource = stableSource(raw);
  }
  return buildSuite(raw, {
    file,
    dir: dirname(abs),
    defaultName: basename(abs, ext),
    hash: createHash('sha256').update(hashSource).digest('hex'),
  });
}

async function importSuiteModule(abs: string, file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = TS_EXT.test(abs)
      ? await importTypeScriptModule(abs, file)
      : ((await import(pathToFileURL(abs).href)) as Record<string, unknown>);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(
      `${file}: cannot load suite module: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      { file },
    );
  }
  const suite = mod.default ?? mod.suite;
  if (suite === undefined)
    throw new ConfigError(`${file}: export the suite as "export default defineSuite({...})"`, { file });
  return suite;
}

/** Functions hash by their source so editing an inline check changes the suite hash. */
function stableSource(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'function' ? `fn:${String(x)}` : x));
}

interface BuildOpts {
  file: string;
  dir: string;
  defaultName: string;
  hash: string;
}

/** Validate a parsed suite document (YAML or module export) into a runnable suite. */
export async function buildSuite(raw: unknown, o: BuildOpts): Promise<LoadedSuite> {
  const top = suiteSchema.safeParse(raw);
  if (!top.success) throw zodToConfigError(o.file, '', top.error);
  const s = top.data;
  const d = s.defaults;
  const cases: LoadedCase[] = [];
  const seen = new Map<string, number>();
  const expanded = expandCsvCases(s.cases, o);
  for (let i = 0; i < expanded.length; i++) {
    const path = expanded[i]?.path ?? `cases[${i}]`;
    const parsed = caseSchema.safeParse(expanded[i]?.raw);
    if (!parsed.success) throw zodToConfigError(o.file, path, parsed.error);
    const c = parsed.data;
    const id = c.id ?? `case-${i + 1}`;
    const prev = seen.get(id);
    if (prev !== undefined) throw suiteError(o.file, `${path}.id`, `duplicate case id "${id}" (also cases[${prev}])`);
    seen.set(id, i);
    const vars = { ...d.vars, ...c.vars };
    const tpl = (text: string, at: string): string => {
      try {
        return render(text, vars);
      } catch (e) {
        if (e instanceof MissingVarError) throw suiteError(o.file, at, `${e.message}; define it in vars`);
        throw e;
      }
    };
    const messages: Message[] = [];
    let system = c.system ?? d.system;
    if (system !== undefined) system = tpl(system, `${path}.system`);
    if (c.prompt !== undefined)
      messages.push({ role: 'user', content: [{ type: 'text', text: tpl(c.prompt, `${path}.prompt`) }] });
    for (const [j, m] of (c.messages ?? []).entries()) {
      const text = tpl(m.content, `${path}.messages[${j}].content`);
      if (m.role === 'system') system = system === undefined ? text : `${system}\n${text}`;
      else messages.push({ role: m.role, content: [{ type: 'text', text }] });
    }
    const assertions: CompiledAssertion[] = [];
    const entries: Array<[unknown, string]> = [
      ...(d.assert ?? []).map((a, j): [unknown, string] => [a, `defaults.assert[${j}]`]),
      ...(c.assert ?? []).map((a, j): [unknown, string] => [a, `${path}.assert[${j}]`]),
    ];
    for (const [a, at] of entries) {
      let rendered: unknown;
      try {
        rendered = renderDeep(a, vars);
      } catch (e) {
        if (e instanceof MissingVarError) throw suiteError(o.file, at, `${e.message}; define it in vars`);
        throw e;
      }
      assertions.push(
        await compileAssertion(rendered, {
          file: o.file,
          path: at,
          dir: o.dir,
          ...(d.judge_route ? { judgeRoute: d.judge_route } : {}),
        }),
      );
    }
    const agent = agentSpec(c, d, {
      file: o.file,
      path,
      render: (v, at) => {
        try {
          return renderDeep(v, vars);
        } catch (e) {
          if (e instanceof MissingVarError) throw suiteError(o.file, at, `${e.message}; define it in vars`);
          throw e;
        }
      },
    });
    checkToolAssertions(assertions, agent, o.file);
    const routes = c.routes ?? (c.route ? [c.route] : undefined) ?? d.routes ?? (d.route ? [d.route] : []);
    const rf = c.response_format ?? d.response_format;
    const responseFormat: ResponseFormat | undefined = rf === undefined ? undefined : { type: rf };
    const timeoutMs = c.timeout_ms ?? d.timeout_ms;
    cases.push({
      id,
      ...(c.description !== undefined ? { description: c.description } : {}),
      tags: [...s.tags, ...(c.tags ?? [])],
      routes,
      ...(system !== undefined ? { system } : {}),
      messages,
      params: toCanonicalParams({ ...d.params, ...c.params }),
      ...(responseFormat ? { responseFormat } : {}),
      vars,
      assertions,
      repeat: c.repeat ?? d.repeat ?? 1,
      threshold: c.threshold ?? d.threshold ?? 1,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(agent ? { agent } : {}),
      path,
    });
  }
  return {
    name: s.name ?? o.defaultName,
    ...(s.description !== undefined ? { description: s.description } : {}),
    file: o.file,
    dir: o.dir,
    hash: o.hash,
    tags: s.tags,
    cases,
  };
}

function toCanonicalParams(p: RequestParams): LoadedCase['params'] {
  return {
    ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p.top_p !== undefined ? { topP: p.top_p } : {}),
    ...(p.max_tokens !== undefined ? { maxTokens: p.max_tokens } : {}),
    ...(p.stop !== undefined ? { stop: p.stop } : {}),
  };
}

/** Load several suites; names must be unique because reports and history key on them. */
export async function loadSuites(paths: readonly string[], cwd: string = process.cwd()): Promise<LoadedSuite[]> {
  const suites: LoadedSuite[] = [];
  for (const f of findSuiteFiles(paths, cwd)) suites.push(await loadSuiteFile(f, cwd));
  const names = new Map<string, string>();
  for (const s of suites) {
    const other = names.get(s.name);
    if (other !== undefined)
      throw new ConfigError(`${s.file}: suite name "${s.name}" is also used by ${other}`, { file: s.file });
    names.set(s.name, s.file);
  }
  return suites;
}
