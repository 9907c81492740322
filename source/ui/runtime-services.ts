// AppServices from a running Runtime (source/daemon/runtime.ts): how the app saves the
// config, stores credentials and hands them to the Jira client — through the settings the
// runtime shares with attached apps. Used by run-app.tsx and by the screen tests, which
// start a real runtime in demo mode on a temp directory.
import type { Runtime } from '../daemon/runtime.js';
import type { AppServices, EditorOutcome } from './app-services.js';

export { configForFile } from '../daemon/shared-settings.js';

/** What the caller supplies beyond the runtime. */
export interface RuntimeServicesOptions {
  /** Runs $EDITOR around the app (run-app suspends the screen); tests pass a stand-in. */
  openEditor(text: string): Promise<EditorOutcome>;
}

/** AppServices plus what the starter needs to wait for before stopping the runtime. */
export interface RuntimeAppServices extends AppServices {
  /** Resolves when every config write started so far has finished (or failed). */
  settled(): Promise<void>;
}

/** The services of the app over this runtime. */
export function runtimeServices(runtime: Runtime, options: RuntimeServicesOptions): RuntimeAppServices {
  const shared = runtime.shared;
  return {
    engine: runtime.engine,
    demo: runtime.simulator !== null,
    jiraUrl: runtime.jira.baseUrl,
    listenAddress: runtime.listenAddress,
    apiVersion: runtime.jira.apiVersion,
    settings: shared.store,
    saveConfig: (config) => shared.saveConfig(config),
    saveCredentials: (credentials) => shared.saveCredentials(credentials),
    openEditor: options.openEditor,
    warnings: runtime.warnings,
    settled: () => shared.settled(),
  };
}
