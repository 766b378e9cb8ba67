/** What every part of the promptfoo import shares: the problems found so far, paths from the config's directory, template checks. */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export class Problems {
  readonly list: string[] = [];
  add(at: string, what: string): void {
    this.list.push(`${at}: ${what}`);
  }
}

export interface Ctx {
  configDir: string;
  suiteDir: string;
  problems: Problems;
  checks: string[];
  checksFile: string;
  judgeUsed: boolean;
}

export const FILE = /^file:\/\//;

export function readRef(ref: string, ctx: Ctx, at: string): string | undefined {
  const path = resolve(ctx.configDir, ref.replace(FILE, ''));
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    ctx.problems.add(at, `cannot read ${ref}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
}

/** A path from the config's directory, rewritten relative to where the suite is written. */
export function fromSuite(ref: string, ctx: Ctx): string {
  const rel = relative(ctx.suiteDir, resolve(ctx.configDir, ref.replace(FILE, '')))
    .split(sep)
    .join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Nunjucks beyond `{{ var }}` (filters, tags, comments) has no counterpart in modelpin templates. */
export function checkTemplate(text: string, at: string, ctx: Ctx): void {
  const bad = /\{%|\{#|\{\{[^}]*\|[^}]*\}\}|\{\{[^}]*\(/.exec(text);
  if (bad)
    ctx.problems.add(
      at,
      `Nunjucks beyond {{ var }} is not supported (${JSON.stringify(text.slice(bad.index, bad.index + 30))}); modelpin templates substitute {{var}} and {{var.path}} only`,
    );
}
