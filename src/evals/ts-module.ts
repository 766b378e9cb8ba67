/**
 * Loads a `.ts` suite file. Node 20 cannot import TypeScript by itself, so modelpin uses tsx when
 * the project has it (an optional peer dependency: teams writing TypeScript suites usually do) and
 * otherwise says exactly what to install. tsx is imported lazily so YAML-only users never load it.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../core/errors.js';

type TsImport = (specifier: string, parentUrl: string) => Promise<unknown>;

/** Resolves tsx's `tsImport`, or null when tsx is not installed. Injected in tests. */
export type TsLoaderSource = () => Promise<TsImport | null>;

export const tsxLoader: TsLoaderSource = async () => {
  try {
    const api = (await import('tsx/esm/api')) as {
      tsImport: (s: string, o: { parentURL: string }) => Promise<unknown>;
    };
    return (specifier, parentUrl) => api.tsImport(specifier, { parentURL: parentUrl });
  } catch (e) {
    if (isModuleNotFound(e)) return null;
    throw e;
  }
};

export async function importTypeScriptModule(
  abs: string,
  file: string,
  source: TsLoaderSource = tsxLoader,
): Promise<Record<string, unknown>> {
  const tsImport = await source();
  if (!tsImport) {
    throw new ConfigError(
      `${file}: TypeScript suites need tsx: install it next to modelpin ("npm install --save-dev tsx") or compile the suite to .js`,
      { file },
    );
  }
  const url = pathToFileURL(abs).href;
  return (await tsImport(url, url)) as Record<string, unknown>;
}

function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
