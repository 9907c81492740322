// A standalone simulator and a real REST client aimed at it, both closed after the test:
// the engine tests that need Jira's real shapes (not the FakeJira) start from this.
import type { TestContext } from 'node:test';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { createJiraClient, type JiraClient } from '../../source/jira/index.js';

/** A simulator (Data Center unless told) and a client on it, without credentials. */
export async function simulated(t: TestContext, mode: 'cloud' | 'datacenter' = 'datacenter'): Promise<{ sim: Simulator; client: JiraClient }> {
  const sim = await startSimulator({ mode, auth: null });
  const client = createJiraClient({ baseUrl: sim.url, credentials: null, timeoutMs: 5000, env: {} });
  t.after(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}
