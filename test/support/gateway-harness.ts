/** Start a simulator (fast, real HTTP) and a gateway on port 0 with a models.yml written to a temp dir. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import type { Logger, LogLevel } from '../../src/core/logger.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway/server.js';

export interface Harness {
  dir: string;
  configPath: string;
  sim: SimulatorServer;
  gateway: Gateway;
  clock: ManualClock;
  waits: number[];
  logs: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }>;
  close(): Promise<void>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'modelpin-gw-'));
}

/** A models.yml with this text in a fresh temp dir; its path. */
export function writeConfig(yaml: string): string {
  const path = join(tempDir(), 'models.yml');
  writeFileSync(path, yaml);
  return path;
}

export async function startSim(): Promise<SimulatorServer> {
  return startSimulatorServer({ port: 0, scenario: 'default', seed: 1, fast: true });
}

/** `yaml` gets `{{SIM}}` replaced with the simulator URL. */
export async function startHarness(
  yaml: (simUrl: string) => string,
  extra: Partial<GatewayOptions> = {},
  sim?: SimulatorServer,
): Promise<Harness> {
  const dir = tempDir();
  const ownSim = sim === undefined;
  const s = sim ?? (await startSim());
  const configPath = join(dir, 'models.yml');
  writeFileSync(configPath, yaml(s.url));
  const clock = new ManualClock(Date.UTC(2026, 0, 20));
  const waits: number[] = [];
  const logs: Harness['logs'] = [];
  const logger: Logger = { log: (level, msg, fields) => void logs.push({ level, msg, ...(fields ? { fields } : {}) }) };
  const gateway = await createGateway({
    configPath,
    env: 'production',
    port: 0,
    clock,
    random: seededRandom(42),
    logger,
    watch: false,
    pollIntervalMs: 0,
    usageFlushMs: 20,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    envVars: { GW_KEY: 'client-secret-1', GW_KEY_2: 'client-secret-2' },
    ...extra,
  });
  return {
    dir,
    configPath,
    sim: s,
    gateway,
    clock,
    waits,
    logs,
    async close() {
      await gateway.close();
      if (ownSim) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SIM_PROVIDERS = (simUrl: string) => `providers:
  sim: { type: simulator, fast: true }
  as_openai: { type: openai, base_url: "${simUrl}/v1", api_key: "sk-upstream-secret" }
  as_anthropic: { type: anthropic, base_url: "${simUrl}", api_key: "sk-upstream-secret" }
  as_gemini: { type: gemini, base_url: "${simUrl}/v1beta", api_key: "sk-upstream-secret" }
`;
