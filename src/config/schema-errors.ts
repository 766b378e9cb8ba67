/**
 * Turns zod issues into messages a person can act on: where (file:line:col and the YAML path),
 * what was expected, and a did-you-mean for misspelt keys. Values are never echoed: they may be
 * interpolated secrets.
 */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { Path } from './interpolate.js';
import type { Position } from './yaml-source.js';
import { valueAt } from '../core/object-path.js';

type Issue = z.core.$ZodIssue;
interface Def {
  type: string;
  shape?: Record<string, unknown>;
  valueType?: unknown;
  innerType?: unknown;
  options?: unknown[];
  element?: unknown;
  in?: unknown;
  out?: unknown;
}

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** The object schemas a path can lead to (unions give several). */
function objectsAt(schema: unknown, path: Path): Def[] {
  const def = defOf(schema);
  if (!def) return [];
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
      return objectsAt(def.innerType, path);
    case 'pipe':
      return objectsAt(def.in, path);
    case 'union':
      return (def.options ?? []).flatMap((o) => objectsAt(o, path));
    case 'object': {
      if (path.length === 0) return [def];
      const [head, ...rest] = path;
      const child = def.shape?.[String(head)];
      return child === undefined ? [] : objectsAt(child, rest);
    }
    case 'record':
      return path.length === 0 ? [] : objectsAt(def.valueType, path.slice(1));
    case 'array':
      return path.length === 0 ? [] : objectsAt(def.element, path.slice(1));
    default:
      return [];
  }
}

export function knownKeysAt(schema: unknown, path: Path): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((d) => Object.keys(d.shape ?? {})))];
}

export interface IssueContext {
  schema: unknown;
  data: unknown;
  file: string;
  /** Display path (plain-shape files show their own `models.*` paths). */
  display(path: Path): Path;
  locate(path: Path): Position | null;
}

export interface FormattedIssue {
  path: Path;
  message: string;
  line?: number;
  col?: number;
}

const TARGET_HINT =
  'expected "provider/model" (e.g. "sim/sim-chat-2026-01-15") or an object { provider, model, params }';

export function formatIssues(issues: readonly Issue[], ctx: IssueContext, base: Path = []): FormattedIssue[] {
  const out: FormattedIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as Path)];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(ctx.schema, path);
      for (const key of issue.keys) {
        const hint = didYouMean(key, known);
        const allowed = known.length > 0 && known.length <= 14 ? ` (allowed: ${known.join(', ')})` : '';
        out.push(
          mk(
            ctx,
            [...path, key],
            hint ? `unknown key "${key}" — did you mean "${hint}"?` : `unknown key "${key}"${allowed}`,
          ),
        );
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      const value = valueAt(ctx.data, path);
      const branches = issue.errors.filter(
        (b) => b.length > 0 && !b.every((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      const pick = branches.find((b) =>
        typeof value === 'string' ? b.some((i) => i.code !== 'unrecognized_keys') : true,
      );
      const isTarget = ['targets', 'fallback', 'candidate', 'previous'].some((k) => path.includes(k));
      if (pick && !(typeof value !== 'string' && typeof value !== 'object')) out.push(...formatIssues(pick, ctx, path));
      else out.push(mk(ctx, path, isTarget ? TARGET_HINT : 'does not match any allowed form'));
      continue;
    }
    if (issue.code === 'invalid_type' && valueAt(ctx.data, path) === undefined) {
      out.push(mk(ctx, path, `required field missing (expected ${issue.expected})`));
      continue;
    }
    out.push(mk(ctx, path, issue.message));
  }
  return out;
}

function mk(ctx: IssueContext, path: Path, message: string): FormattedIssue {
  const pos = ctx.locate(path);
  return { path, message, ...(pos ? { line: pos.line, col: pos.col } : {}) };
}

export function renderIssue(file: string, i: FormattedIssue, display: (p: Path) => Path): string {
  const where = i.line !== undefined ? `${file}:${i.line}:${i.col}` : file;
  const p = display(i.path);
  return `${where}: ${p.length > 0 ? p.join('.') : '(top level)'}: ${i.message}`;
}
