/** The `modelpin/sim` entry: the provider simulator, in-process or over HTTP (docs/simulator.md). */
export { createSimulatorProvider, type SimulatorDeps } from './provider.js';
export { startSimulatorServer, type SimulatorServer, type SimulatorServerOptions } from './server.js';
