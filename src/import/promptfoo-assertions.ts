/** promptfoo assertions as modelpin assertions: renamed, reshaped, turned into check functions, or refused by name. */
import { parse as parseYaml } from 'yaml';
import { isAssertionType } from '../evals/assertions/registry.js';
import { FILE, fromSuite, isObj, type Ctx, type Json } from './promptfoo-context.js';

/** Shared names that take no params; used once modelpin has them. */
const NO_PARAM_SHARED: readonly string[] = ['is-refusal', 'not-refusal'];
const SAME = new Set(['contains', 'icontains', 'equals', 'not-contains', 'starts-with']);

/** One promptfoo assertion as modelpin assertions (is-json with a schema takes two), or none when refused. */
export function assertion(a: unknown, at: string, ctx: Ctx): Json[] {
  if (!isObj(a) || typeof a.type !== 'string') {
    ctx.problems.add(at, 'expected an assertion with a "type"');
    return [];
  }
  const type = a.type;
  const keep: Json = {};
  if (typeof a.weight === 'number' && a.weight > 0) keep.weight = a.weight;
  if (typeof a.metric === 'string') keep.label = a.metric;
  const value = a.value;
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  const needValue = (): string | undefined => {
    const s = str(value);
    if (s === undefined) ctx.problems.add(at, `${type} needs a string "value"`);
    return s;
  };
  if (a.transform !== undefined) ctx.problems.add(at, `${type}: "transform" is not supported`);
  if (SAME.has(type)) {
    const v = needValue();
    return v === undefined ? [] : [{ type, value: v, ...keep }];
  }
  switch (type) {
    case 'contains-any':
    case 'contains-all': {
      const values = Array.isArray(value)
        ? value.map(str)
        : typeof value === 'string'
          ? value.split(',').map((s) => s.trim())
          : undefined;
      if (!values || values.some((v) => v === undefined)) {
        ctx.problems.add(at, `${type} needs a list of strings in "value"`);
        return [];
      }
      return [{ type, values, ...keep }];
    }
    case 'regex': {
      const v = needValue();
      return v === undefined ? [] : [{ type: 'regex', pattern: v, ...keep }];
    }
    case 'is-json':
    case 'contains-json': {
      const mode = type === 'is-json' ? 'strict' : 'lenient';
      if (value === undefined) return [{ type, ...keep }];
      let schema: unknown = value;
      if (typeof value === 'string') {
        if (FILE.test(value))
          return [
            { type, ...keep },
            { type: 'json-schema', schema_file: fromSuite(value, ctx), parse: mode },
          ];
        try {
          schema = parseYaml(value) as unknown;
        } catch {
          schema = undefined;
        }
      }
      if (!isObj(schema)) {
        ctx.problems.add(at, `${type}: "value" must be a JSON schema (an object or a file:// path)`);
        return [];
      }
      return [
        { type, ...keep },
        { type: 'json-schema', schema, parse: mode },
      ];
    }
    case 'javascript':
      return javascript(value, a.threshold, at, ctx, keep);
    case 'llm-rubric':
    case 'factuality': {
      const v = needValue();
      if (v === undefined) return [];
      ctx.judgeUsed = true;
      if (a.provider !== undefined)
        ctx.problems.add(at, `${type}: "provider" is not supported: the judge is a models.yml route (--judge-route)`);
      if (type === 'factuality') return [{ type, value: v, ...keep }];
      return [{ type, rubric: v, ...(typeof a.threshold === 'number' ? { threshold: a.threshold } : {}), ...keep }];
    }
    case 'cost':
    case 'latency': {
      if (typeof a.threshold !== 'number' || a.threshold <= 0) {
        ctx.problems.add(at, `${type} needs a positive "threshold"`);
        return [];
      }
      return [{ type: type === 'cost' ? 'max-cost' : 'max-latency', value: a.threshold, ...keep }];
    }
    default:
      // is-refusal and others whose names modelpin shares and that take no params.
      if (NO_PARAM_SHARED.includes(type) && isAssertionType(type) && value === undefined) return [{ type, ...keep }];
      ctx.problems.add(at, `unsupported assertion type "${type}"`);
      return [];
  }
}

/** An inline expression or function body becomes `export function check_N(output, ctx)`; a file stays a file. */
function javascript(value: unknown, threshold: unknown, at: string, ctx: Ctx, keep: Json): Json[] {
  if (typeof value !== 'string' || value.trim() === '') {
    ctx.problems.add(at, 'javascript needs "value": an expression, a function body, or file://path.js');
    return [];
  }
  if (FILE.test(value)) {
    const [path, fn] = value.replace(FILE, '').split(':');
    if (!/\.(m?js|cjs)$/.test(path ?? '')) {
      ctx.problems.add(at, `javascript: ${value}: only .js/.mjs/.cjs files are supported`);
      return [];
    }
    if (threshold !== undefined)
      ctx.problems.add(at, 'javascript: "threshold" with a file is not supported (a file\'s score passes at >= 0.5)');
    return [{ type: 'javascript', file: `${fromSuite(path ?? '', ctx)}${fn ? `#${fn}` : ''}`, ...keep }];
  }
  const n = ctx.checks.length + 1;
  const trimmed = value.trimEnd();
  const body =
    /\breturn\b/.test(trimmed) || (trimmed.includes('\n') && /;\s*$/m.test(trimmed))
      ? trimmed
      : `return (${trimmed.trim()});`;
  const min = typeof threshold === 'number' ? threshold : undefined;
  const decide =
    min === undefined
      ? 'return v;'
      : `if (typeof v === 'number') return { pass: v >= ${min}, score: Math.max(0, Math.min(1, v)), reason: \`score \${v} (threshold ${min})\` };\n  return v;`;
  ctx.checks.push(
    [
      `/** ${at} */`,
      `export function check_${n}(output, ctx) {`,
      '  const context = { vars: ctx.vars };',
      `  const v = (() => {\n${body.replace(/^/gm, '    ')}\n  })();`,
      `  ${decide}`,
      '}',
    ].join('\n'),
  );
  return [{ type: 'javascript', file: `./${ctx.checksFile}#check_${n}`, ...keep }];
}
