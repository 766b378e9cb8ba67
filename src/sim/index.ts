/** Public surface of the simulator. */
export { createSimulatorProvider, simulatorProviderFromEngine, type SimulatorDeps } from './provider.js';
export { startSimulatorServer, type SimulatorServer, type SimulatorServerOptions } from './server.js';
export { loadScenario, builtinScenarios, resolveScenarioPath } from './scenario-load.js';
export { createSimEngine, type SimEngine, type SimOutcome, type SimEmbedOutcome, type SimModel } from './engine.js';
export { simEmbedding, DEFAULT_EMBEDDING_DIMENSIONS } from './embedding.js';
export type { Scenario } from './scenario.js';
export { countTokens } from '../core/tokenizer.js';
