// Architecture rules checked in `npm test` (see docs/layout.md).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'format-knowledge-in-wire',
      comment: 'Only wire/ and providers/ may depend on a particular wire format; everything else goes through the codec registry.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(wire|providers)/' },
      to: { path: '^src/wire/(openai|openai-responses|anthropic|gemini)/' },
    },
    {
      name: 'simulator-stays-apart',
      comment: 'The simulator is a product feature, not a library: only its provider factory, the CLI and the demo may load it (users reach it through its own package entry, modelpin/sim).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sim/', '^src/cli/', '^src/demo/', '^src/providers/registry\\.ts$'] },
      to: { path: '^src/sim/' },
    },
    {
      name: 'no-circular-core',
      comment: 'core/ is the bottom layer.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
