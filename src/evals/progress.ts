import cliProgress from 'cli-progress';
import type { ProgressEvent } from './run-types.js';

/** A progress bar on a TTY, one plain line per sample otherwise (CI logs), nothing when quiet. */
export function progressReporter(opts: {
  tty: boolean;
  quiet: boolean;
  write: (line: string) => void;
  stream?: NodeJS.WritableStream;
}): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  if (opts.quiet) return { onProgress: () => undefined, stop: () => undefined };
  if (opts.tty) {
    const bar = new cliProgress.SingleBar(
      {
        stream: opts.stream ?? process.stderr,
        format: 'eval [{bar}] {value}/{total} {label}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress: (e) => {
        if (e.kind === 'start') {
          bar.start(e.total, 0, { label: '' });
          started = true;
        } else bar.update(e.done, { label: e.label });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  return {
    onProgress: (e) => {
      if (e.kind === 'sample')
        opts.write(
          `[${e.done}/${e.total}] ${e.status === 'passed' ? 'pass ' : e.status === 'failed' ? 'FAIL ' : 'ERROR'} ${e.label}${e.cached ? ' (cached)' : ''}`,
        );
    },
    stop: () => undefined,
  };
}
