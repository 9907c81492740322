// The settings one running engine shares with every face that shows it: the app in the
// same process and the apps attached over the control socket. Saving the config writes
// the file (one write after another, so an older config never lands after a newer one)
// and applies it live; saving credentials stores them and hands them to the Jira client.
// Every face sees the result through the one store, so a draft edited in one app shows in
// the others.
import type { Config } from '../core/config.js';
import type { CredentialSource, Credentials } from '../core/ports.js';
import { describeCredentials } from '../secrets/index.js';
import { createValueStore, type ValueStore } from '../value-cell.js';
import type { Runtime } from './runtime.js';
import { saveConfig as writeConfig } from './settings.js';

/** Settings state shared by the panes and the status line. */
export interface SettingsState {
  config: Config;
  credentialSource: CredentialSource;
  /** A warning from the secrets module (e.g. "kept in credentials.json: no keychain"). */
  credentialWarning?: string;
  /** A masked description of the credentials in use, e.g. "basic ops-bot / ****1234". */
  credentialSummary?: string;
}

/** The engine's settings, shared by its faces. */
export interface SharedSettings {
  store: ValueStore<SettingsState>;
  /** Validated config in → put in the store, applied live (engine.setConfig), written atomically. */
  saveConfig(config: Config): Promise<void>;
  /** Stores credentials (keychain or 0600 file) and hands what is in effect to the Jira client. */
  saveCredentials(credentials: Credentials): Promise<{ source: CredentialSource; warning?: string }>;
  /** Resolves when every config write started so far has finished (or failed). */
  settled(): Promise<void>;
}

/**
 * In demo mode the engine runs with the simulator's URL and the demo template; neither
 * belongs in the operator's config file, so the file keeps its own URL (unless a real one
 * was typed) and its own template and Manual draft.
 */
export function configForFile(runtime: Pick<Runtime, 'settings' | 'simulator'>, config: Config): Config {
  if (!runtime.simulator) return config;
  const file = runtime.settings.config;
  const url = config.jira.url === runtime.simulator.url ? file.jira.url : config.jira.url;
  return { ...config, jira: { ...config.jira, url }, template: file.template, draft: file.draft };
}

/** The shared settings of a runtime (built by startRuntime). */
export function createSharedSettings(runtime: Pick<Runtime, 'settings' | 'simulator' | 'config' | 'credentialSource' | 'secrets' | 'engine' | 'reloadCredentials'>): SharedSettings {
  const store = createValueStore<SettingsState>({ config: runtime.config, credentialSource: runtime.credentialSource });
  let saving: Promise<void> = Promise.resolve();
  // What the file holds (as far as we know): a save that would not change it is skipped, so
  // demo mode, whose template and URL stay out of the file, does not create one for nothing.
  let onFile = JSON.stringify(configForFile(runtime, runtime.config));

  // The masked summary of the credentials in use; read once at start, off the first frame's path.
  void runtime.secrets.load().then(
    (loaded) => store.set((s) => ({ ...s, credentialSummary: describeCredentials(loaded.credentials) })),
    () => undefined,
  );

  return {
    store,
    saveConfig(config: Config) {
      store.set((s) => ({ ...s, config }));
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
      // The environment wins over what was saved: the runtime hands the client what is in
      // effect and resumes a queue paused on 401/403, as on the daemon's SIGHUP.
      await runtime.reloadCredentials('app');
      const loaded = await runtime.secrets.load();
      store.set((s) => ({
        ...s,
        credentialSource: loaded.source,
        credentialWarning: saved.warning ?? loaded.warning,
        credentialSummary: describeCredentials(loaded.credentials),
      }));
      return { source: loaded.source, warning: saved.warning };
    },
    settled: () => saving,
  };
}
