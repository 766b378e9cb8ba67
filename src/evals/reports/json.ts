import type { Reporter } from './types.js';

export const jsonReporter: Reporter = {
  description: 'Everything: run, per-case samples with outputs and assertion outcomes, and the compare report.',
  extension: 'json',
  render: (r) => JSON.stringify(r, null, 2) + '\n',
};
