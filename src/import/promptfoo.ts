/**
 * `modelpin import promptfoo`: a promptfoo config becomes a modelpin suite. Prompts × tests become
 * cases, `defaultTest` the suite defaults, `file://` CSV tests a `vars_from` case, and assertions
 * with a counterpart are translated; everything else is refused by name and location, all at once.
 * Inline JavaScript assertions become functions in a checks module written beside the suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { readCsvRows } from '../evals/csv-vars.js';
import { assertion } from './promptfoo-assertions.js';
import { checkTemplate, FILE, fromSuite, isObj, Problems, readRef, type Ctx, type Json } from './promptfoo-context.js';

export interface ImportOptions {
  /** The promptfoo config file. */
  file: string;
  cwd: string;
  /** Where the suite will be written (paths in it are made relative to its directory); undefined for stdout. */
  out?: string;
  /** Route every case calls (defaults.route); without it, cases name none and `--route`/`--model` decide. */
  route?: string;
  /** Route that grades llm-rubric and factuality (defaults.judge_route); default "judge". */
  judgeRoute?: string;
  name?: string;
}

export interface ImportResult {
  suite: Record<string, unknown>;
  /** Source of the checks module for inline javascript assertions, or null when there are none. */
  checks: string | null;
  /** File name of the checks module, relative to the suite. */
  checksFile: string;
  /** What the suite does not carry over (providers become routes in models.yml), for a header comment. */
  notes: string[];
}

interface Prompt {
  id: string;
  prompt?: string;
  messages?: Array<{ role: string; content: string }>;
}

function prompts(raw: unknown, ctx: Ctx): Prompt[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) ctx.problems.add('prompts', 'no prompts');
  const out: Prompt[] = [];
  list.forEach((p, i) => {
    const at = `prompts[${i}]`;
    let text: string | undefined;
    let id = `p${i + 1}`;
    if (typeof p === 'string')
      text = FILE.test(p) ? readPromptFile(p, ctx, at, (m) => out.push({ id, messages: m })) : p;
    else if (isObj(p) && typeof p.raw === 'string') {
      text = p.raw;
      if (typeof p.id === 'string' && /^[A-Za-z0-9_.:-]+$/.test(p.id)) id = p.id;
      else if (typeof p.label === 'string' && /^[A-Za-z0-9_.:-]+$/.test(p.label)) id = p.label;
    } else if (isObj(p) && typeof p.id === 'string' && FILE.test(p.id))
      text = readPromptFile(p.id, ctx, at, (m) => out.push({ id, messages: m }));
    else ctx.problems.add(at, 'expected a prompt string, a file:// path or {raw, label}');
    if (text !== undefined) {
      checkTemplate(text, at, ctx);
      out.push({ id, prompt: text });
    }
  });
  return out;
}

/** A text prompt file, or a JSON chat (OpenAI message list) handed to `chat`. */
function readPromptFile(
  ref: string,
  ctx: Ctx,
  at: string,
  chat: (m: Array<{ role: string; content: string }>) => void,
): string | undefined {
  const ext = extname(ref).toLowerCase();
  if (['.js', '.cjs', '.mjs', '.ts', '.py'].includes(ext)) {
    ctx.problems.add(
      at,
      `prompt functions (${ref}) are not supported: write the prompt text, or messages, into the suite`,
    );
    return undefined;
  }
  if (ref.includes('*')) {
    ctx.problems.add(at, `prompt globs (${ref}) are not supported: list the files`);
    return undefined;
  }
  const text = readRef(ref, ctx, at);
  if (text === undefined) return undefined;
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const ok =
      Array.isArray(parsed) &&
      parsed.every(
        (m) => isObj(m) && ['system', 'user', 'assistant'].includes(String(m.role)) && typeof m.content === 'string',
      );
    if (!ok) {
      ctx.problems.add(at, `${ref}: expected a JSON list of {role: system|user|assistant, content: string}`);
      return undefined;
    }
    const messages = parsed as Array<{ role: string; content: string }>;
    messages.forEach((m, j) => checkTemplate(m.content, `${at} (${ref} message ${j})`, ctx));
    chat(messages);
    return undefined;
  }
  return text.replace(/\r?\n$/, '');
}

function vars(raw: unknown, at: string, ctx: Ctx): Json | undefined {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) {
    ctx.problems.add(at, 'vars must be a mapping (a vars file is not supported)');
    return undefined;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v))
      ctx.problems.add(
        `${at}.${k}`,
        'a list of values (one test per value) is not supported: write one test per value, or a CSV',
      );
    else if (typeof v === 'string' && FILE.test(v)) {
      if (/\.(txt|md|json|ya?ml)$/i.test(v)) out[k] = readRef(v, ctx, `${at}.${k}`)?.replace(/\r?\n$/, '');
      else ctx.problems.add(`${at}.${k}`, `only text files can be a var (${v})`);
    } else out[k] = v;
  }
  return out;
}

interface TestIn {
  at: string;
  description?: string;
  vars?: Json;
  varsFrom?: string;
  assert: Json[];
  threshold?: number;
}

function tests(raw: unknown, ctx: Ctx): TestIn[] {
  const list = raw === undefined ? [{}] : Array.isArray(raw) ? raw : [raw];
  const out: TestIn[] = [];
  list.forEach((t, i) => {
    const at = Array.isArray(raw) ? `tests[${i}]` : 'tests';
    if (typeof t === 'string') {
      if (FILE.test(t) && /\.csv$/i.test(t)) {
        const rows = readCsvRows(t, { file: 'promptfoo config', path: at, dir: ctx.configDir });
        const special = Object.keys(rows[0] ?? {}).filter((c) => c.startsWith('__'));
        for (const c of special)
          ctx.problems.add(
            `${at} (${t})`,
            `CSV column "${c}" (per-row assertions or metadata) is not supported: put the assertion in defaultTest with a {{var}} value`,
          );
        out.push({ at, varsFrom: fromSuite(t, ctx), assert: [] });
      } else ctx.problems.add(at, `tests from ${t} are not supported: only file://*.csv, or tests written inline`);
      return;
    }
    if (!isObj(t)) {
      ctx.problems.add(at, 'expected a test mapping or a file://*.csv path');
      return;
    }
    for (const k of ['options', 'provider', 'providers', 'assertScoringFunction', 'metadata'] as const) {
      if (t[k] !== undefined && k !== 'metadata') ctx.problems.add(`${at}.${k}`, `"${k}" on a test is not supported`);
    }
    const v = vars(t.vars, `${at}.vars`, ctx);
    const asserts = (Array.isArray(t.assert) ? t.assert : t.assert === undefined ? [] : [t.assert]).flatMap((a, j) =>
      assertion(a, `${at}.assert[${j}]`, ctx),
    );
    out.push({
      at,
      ...(typeof t.description === 'string' ? { description: t.description } : {}),
      ...(v ? { vars: v } : {}),
      assert: asserts,
      ...(typeof t.threshold === 'number' && t.threshold > 0 && t.threshold <= 1 ? { threshold: t.threshold } : {}),
    });
  });
  return out;
}

function providerNotes(raw: unknown): string[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const ids = list.map((p) => (typeof p === 'string' ? p : isObj(p) ? String(p.id ?? p.label ?? '?') : '?'));
  if (ids.length === 0) return [];
  return [
    `promptfoo providers: ${ids.join(', ')}.`,
    'In modelpin the model is a route of models.yml (e.g. targets: { production: openai/<dated snapshot> }),',
    'chosen at run time: --env, --route, --model provider/model, or --compare-models for two.',
  ];
}

export function importPromptfoo(o: ImportOptions): ImportResult {
  const path = resolve(o.cwd, o.file);
  if (!existsSync(path)) throw new ConfigError(`${o.file}: not found`, { file: o.file });
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${o.file}: not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, {
      file: o.file,
    });
  }
  if (!isObj(raw))
    throw new ConfigError(`${o.file}: expected a promptfoo config (a mapping with prompts, providers, tests)`, {
      file: o.file,
    });
  const outAbs = o.out !== undefined ? resolve(o.cwd, o.out) : undefined;
  const checksFile = outAbs
    ? `${outAbs
        .replace(/\.[^./\\]+$/, '')
        .split(sep)
        .pop()}.checks.mjs`
    : 'checks.mjs';
  const ctx: Ctx = {
    configDir: dirname(path),
    suiteDir: outAbs ? dirname(outAbs) : o.cwd,
    problems: new Problems(),
    checks: [],
    checksFile,
    judgeUsed: false,
  };

  for (const k of ['scenarios', 'redteam', 'nunjucksFilters', 'extensions', 'derivedMetrics'] as const) {
    if (raw[k] !== undefined) ctx.problems.add(k, `"${k}" is not supported`);
  }
  const ps = prompts(raw.prompts, ctx);
  const dt = raw.defaultTest;
  const defaults: Json = {};
  if (typeof dt === 'string') ctx.problems.add('defaultTest', 'a defaultTest file is not supported: write it inline');
  else if (isObj(dt)) {
    const v = vars(dt.vars, 'defaultTest.vars', ctx);
    if (v) defaults.vars = v;
    const asserts = (Array.isArray(dt.assert) ? dt.assert : []).flatMap((a, j) =>
      assertion(a, `defaultTest.assert[${j}]`, ctx),
    );
    if (asserts.length > 0) defaults.assert = asserts;
    const opts = dt.options;
    if (isObj(opts))
      for (const k of Object.keys(opts))
        if (k !== 'provider') ctx.problems.add(`defaultTest.options.${k}`, `"${k}" is not supported`);
  }
  const ts = tests(raw.tests, ctx);
  const repeat =
    isObj(raw.evaluateOptions) && typeof raw.evaluateOptions.repeat === 'number'
      ? raw.evaluateOptions.repeat
      : undefined;

  if (ctx.problems.list.length > 0) {
    throw new ConfigError(
      `${o.file}: cannot import ${ctx.problems.list.length} part(s) of this promptfoo config:\n${ctx.problems.list.map((p) => `  - ${p}`).join('\n')}`,
      { file: o.file },
    );
  }
  if (o.route) defaults.route = o.route;
  if (ctx.judgeUsed) defaults.judge_route = o.judgeRoute ?? 'judge';
  if (repeat !== undefined) defaults.repeat = repeat;

  const cases: Json[] = [];
  ts.forEach((t, i) => {
    for (const p of ps) {
      const id = `${ts.length > 1 || ps.length === 1 ? `t${i + 1}` : 't'}${ps.length > 1 ? `-${p.id}` : ''}`;
      cases.push({
        id,
        ...(t.description !== undefined ? { description: t.description } : {}),
        ...(p.prompt !== undefined ? { prompt: p.prompt } : { messages: p.messages }),
        ...(t.vars ? { vars: t.vars } : {}),
        ...(t.varsFrom ? { vars_from: t.varsFrom } : {}),
        ...(t.assert.length > 0 ? { assert: t.assert } : {}),
        ...(t.threshold !== undefined ? { threshold: t.threshold } : {}),
      });
    }
  });
  const name = o.name ?? (typeof raw.description === 'string' ? slug(raw.description) : undefined);
  const suite: Json = {
    ...(name ? { name } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
    cases,
  };
  const notes = [
    `Imported from ${relative(ctx.suiteDir, path).split(sep).join('/') || o.file} (promptfoo).`,
    ...providerNotes(raw.providers),
  ];
  if (ctx.judgeUsed)
    notes.push(
      `llm-rubric and factuality are graded by the route "${defaults.judge_route as string}" (production target).`,
    );
  const checks =
    ctx.checks.length > 0
      ? `// Inline javascript assertions imported from ${o.file}; each gets (output, ctx) like promptfoo's (output, context).\n\n${ctx.checks.join('\n\n')}\n`
      : null;
  return { suite, checks, checksFile, notes };
}

function slug(s: string): string | undefined {
  const v = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return v || undefined;
}
