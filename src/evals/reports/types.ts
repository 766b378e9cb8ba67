import type { RunResult } from '../run-types.js';
import type { CompareReport } from '../compare.js';
import type { Reachability } from '../signals.js';

/** Everything a reporter renders: the run, and the drift report when two arms were compared. */
export interface EvalReport {
  tool: 'modelpin';
  run: RunResult;
  compare?: CompareReport;
  /** What the compare's sample counts could show, computed before the calls. */
  reachability?: Reachability;
  /** Exit code the CLI returns for this report. */
  exitCode: number;
}

export const REPORT_FORMATS = ['json', 'junit', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Reporter {
  description: string;
  /** File extension used in docs and examples. */
  extension: string;
  render(report: EvalReport): string;
}
