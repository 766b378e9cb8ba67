import type { ReportFormat, Reporter } from './types.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { htmlReporter } from './html.js';

export const REPORTERS: Record<ReportFormat, Reporter> = {
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};
