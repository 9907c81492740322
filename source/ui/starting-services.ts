// The app's services while its engine is still starting (see starting-engine.ts): what the
// first frame needs is known from the settings alone — the config and its template, demo
// mode or not, the API version — so the App is drawn and navigable at once. The engine
// is the StartingEngine; a config or credentials saved before the engine is there are
// shown at once and handed to it, in order, when it comes. Once it is there (`handOver`),
// the services are the runtime's (or, when another engine took the data directory first,
// the attached one's), with the same engine object and the same settings store, so the
// panes keep their state.
import type { Config } from '../core/config.js';
import type { CredentialSource, Credentials } from '../core/ports.js';
import { demoTemplate } from '../core/demo-template.js';
import type { Settings } from '../daemon/settings.js';
import { apiVersionOf } from '../jira/urls.js';
import { createValueStore, type ValueStore } from '../value-cell.js';
import type { AppServices, EditorOutcome, SettingsState } from './app-services.js';
import { StartingEngine } from './starting-engine.js';

/** The services before the engine, and the hand-over to the real ones. */
export interface StartingServices {
  /** What the App is first drawn with (`starting` is true). */
  services: AppServices;
  engine: StartingEngine;
  /**
   * The engine is there: held saves go to `next`, the settings follow `next`'s from now
   * on, and the services to show from now on are returned (this engine, this store).
   */
  handOver(next: AppServices): AppServices;
  /** The engine will not come: held requests reject with `error`. */
  fail(error: unknown): void;
}

/** The config the engine will run with, as far as it is known before it starts (demo mode: the demo template; the simulator's URL comes later). */
export function startingConfig(settings: Pick<Settings, 'demo' | 'config'>): Config {
  if (!settings.demo) return settings.config;
  return { ...settings.config, template: demoTemplate.map((row) => ({ ...row })), draft: null };
}

/** Where credentials come from when the environment sets them; else not known until the keychain was asked. */
function environmentSource(env: Record<string, string | undefined>): CredentialSource {
  return (env.JIRALINE_USER && env.JIRALINE_PASSWORD) || env.JIRALINE_AUTH_KEY ? 'environment' : 'none';
}

/** Services for the App before its engine has started. */
export function startingServices(settings: Settings, options: { openEditor(text: string): Promise<EditorOutcome>; env?: Record<string, string | undefined> }): StartingServices {
  const early = startingConfig(settings);
  const engine = new StartingEngine(early);
  const store: ValueStore<SettingsState> = createValueStore<SettingsState>({ config: early, credentialSource: environmentSource(options.env ?? process.env) });
  // Saves made before the engine came: the config only the last one (each is whole), the credentials each in turn.
  let wantedConfig: { config: Config; waiting: Array<{ resolve(): void; reject(error: unknown): void }> } | null = null;
  const credentialSaves: Array<{ run(next: AppServices): void; fail(error: unknown): void }> = [];
  let target: AppServices | null = null;
  let failure: { error: unknown } | null = null;

  const services: AppServices = {
    engine,
    demo: settings.demo,
    jiraUrl: settings.config.jira.url,
    listenAddress: null,
    apiVersion: apiVersionOf(early.jira.ticketLocation),
    settings: store,
    saveConfig(config) {
      if (target) return target.saveConfig(config);
      if (failure) return Promise.reject(failure.error);
      store.set((s) => ({ ...s, config }));
      wantedConfig ??= { config, waiting: [] };
      wantedConfig.config = config;
      const waiting = wantedConfig.waiting;
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
      });
    },
    saveCredentials(credentials: Credentials) {
      if (target) return target.saveCredentials(credentials);
      if (failure) return Promise.reject(failure.error);
      return new Promise((resolve, reject) => {
        credentialSaves.push({ run: (next) => void next.saveCredentials(credentials).then(resolve, reject), fail: reject });
      });
    },
    openEditor: options.openEditor,
    warnings: [],
    starting: true,
  };

  return {
    services,
    engine,
    handOver(next) {
      if (target) return { ...target, engine, settings: store };
      target = next;
      if (wantedConfig) {
        const { config, waiting } = wantedConfig;
        wantedConfig = null;
        // The engine's URL stands unless one was typed meanwhile (demo mode: the simulator's).
        const url = config.jira.url === early.jira.url ? next.settings.get().config.jira.url : config.jira.url;
        next.saveConfig({ ...config, jira: { ...config.jira, url } }).then(
          () => waiting.forEach((w) => w.resolve()),
          (error: unknown) => waiting.forEach((w) => w.reject(error)),
        );
      }
      for (const save of credentialSaves.splice(0)) save.run(next);
      const follow = () => store.set(next.settings.get());
      follow();
      next.settings.subscribe(follow);
      return { ...next, engine, settings: store, starting: false };
    },
    fail(error) {
      if (target || failure) return;
      failure = { error };
      engine.fail(error);
      const waiting = wantedConfig?.waiting ?? [];
      wantedConfig = null;
      for (const w of waiting) w.reject(error);
      for (const save of credentialSaves.splice(0)) save.fail(error);
    },
  };
}
