// AppServices from a running Runtime (source/daemon/runtime.ts): how the app saves the
// config, stores credentials and hands them to the Jira client. Used by run-app.tsx and
// by the screen tests, which start a real runtime in demo mode on a temp directory.
import type { Config } from '../core/config.js';
import type { Credentials } from '../core/ports.js';
import type { Runtime } from '../daemon/runtime.js';
import { saveConfig as writeConfig } from '../daemon/settings.js';
import { describeCredentials } from '../secrets/index.js';
import type { AppServices, EditorOutcome, SettingsState } from './app-services.js';
import { createValueStore } from './value-store.js';

/** What the caller supplies beyond the runtime. */
export interface RuntimeServicesOptions {
  /** Runs $EDITOR around the app (run-app suspends the screen); tests pass a stand-in. */
  openEditor(text: string): Promise<EditorOutcome>;
}

/**
 * In demo mode the engine runs with the simulator's URL and the demo template; neither
 * belongs in the operator's config file, so the file keeps its own URL (unless a real one
 * was typed) and its own template.
 */
export function configForFile(runtime: Pick<Runtime, 'settings' | 'simulator'>, config: Config): Config {
  if (!runtime.simulator) return config;
  const file = runtime.settings.config;
  const url = config.jira.url === runtime.simulator.url ? file.jira.url : config.jira.url;
  return { ...config, jira: { ...config.jira, url }, template: file.template };
}

/** AppServices plus what the starter needs to wait for before stopping the runtime. */
export interface RuntimeAppServices extends AppServices {
  /** Resolves when every config write started so far has finished (or failed). */
  settled(): Promise<void>;
}

/** The services of the app over this runtime. */
export function runtimeServices(runtime: Runtime, options: RuntimeServicesOptions): RuntimeAppServices {
  const settings = createValueStore<SettingsState>({ config: runtime.config, credentialSource: runtime.credentialSource });
  // Saves run one after another, so an older config can never land on disk after a newer one.
  let saving: Promise<void> = Promise.resolve();
  // What the file holds (as far as we know): a save that would not change it is skipped, so
  // demo mode, whose template and URL stay out of the file, does not create one for nothing.
  let onFile = JSON.stringify(configForFile(runtime, runtime.config));

  // The masked summary of the credentials in use; read once at start, off the first frame's path.
  void runtime.secrets.load().then(
    (loaded) => settings.set((s) => ({ ...s, credentialSummary: describeCredentials(loaded.credentials) })),
    () => undefined,
  );

  return {
    engine: runtime.engine,
    demo: runtime.simulator !== null,
    jiraUrl: runtime.jira.baseUrl,
    listenAddress: runtime.listenAddress,
    apiVersion: runtime.jira.apiVersion,
    settings,
    saveConfig(config: Config) {
      settings.set((s) => ({ ...s, config }));
      runtime.engine.setConfig(config);
      const forFile = configForFile(runtime, config);
      const text = JSON.stringify(forFile);
      if (text === onFile) return saving;
      onFile = text;
      const write = saving.then(() => writeConfig(runtime.settings, forFile));
      saving = write.catch(() => undefined);
      return write;
    },
    async saveCredentials(credentials: Credentials) {
      const saved = await runtime.secrets.save(credentials);
      // The environment wins over what was saved (SPEC §2): the runtime hands the client what
      // is in effect and resumes a queue paused on 401/403, as on the daemon's SIGHUP.
      await runtime.reloadCredentials('app');
      const loaded = await runtime.secrets.load();
      settings.set((s) => ({
        ...s,
        credentialSource: loaded.source,
        credentialWarning: saved.warning ?? loaded.warning,
        credentialSummary: describeCredentials(loaded.credentials),
      }));
      return { source: loaded.source, warning: saved.warning };
    },
    openEditor: options.openEditor,
    warnings: runtime.warnings,
    settled: () => saving,
  };
}
