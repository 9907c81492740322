// The built-in Jira simulator: a Jira on node:http, in memory, that refuses what Jira
// refuses with Jira's shapes. Demo mode, tests and benchmarks run on it.
import { startSimulatorServer } from './server.js';
import type { Simulator, SimulatorOptions } from './types.js';

export type { HostileFault, HostileMode, LateWrite, SimIssue, Simulator, SimulatorFaults, SimulatorOptions } from './types.js';

/** Starts a simulator on host:port (default 127.0.0.1, an ephemeral port), as a Data Center unless mode says cloud. */
export function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  return startSimulatorServer(options);
}
