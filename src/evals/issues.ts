import type { z } from 'zod';
import { didYouMean } from '../config/did-you-mean.js';
import { ConfigError } from '../core/errors.js';
import { joinPath } from '../core/object-path.js';

/** A config error that names the file and the path inside it: `evals/x.yml: cases[2].assert[0].type: ...`. */
export function suiteError(file: string, path: string, message: string): ConfigError {
  return new ConfigError(`${file}: ${path === '' ? '' : path + ': '}${message}`, { file, path });
}

/** The first zod issue as one ConfigError line (the rest are usually consequences of it). */
export function zodToConfigError(
  file: string,
  base: string,
  error: z.ZodError,
  known: readonly string[] = [],
): ConfigError {
  // A misspelt field also makes the real one "missing"; the misspelling is the cause worth naming.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return suiteError(file, base, 'invalid');
  const path = joinPath(base, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((k) => {
      const near = didYouMean(k, known);
      return `"${k}"${near ? ` (did you mean "${near}"?)` : ''}`;
    });
    const takes =
      known.length > 0 && !names.some((n) => n.includes('did you mean')) ? `; it takes: ${known.join(', ')}` : '';
    return suiteError(file, path, `unknown field${issue.keys.length > 1 ? 's' : ''} ${names.join(', ')}${takes}`);
  }
  return suiteError(file, path, issue.message);
}
