// AppServices over an engine in another process (an attached app): the panes get the
// RemoteEngine as their EngineApi, and saving the config or the credentials is the
// engine's to do, so every app attached to it sees the result.
import type { RemoteEngine } from '../control/remote-engine.js';
import type { AppServices, EditorOutcome } from './app-services.js';

/** The services of an app attached to `engine`. */
export function remoteServices(engine: RemoteEngine, options: { openEditor(text: string): Promise<EditorOutcome>; warnings?: string[] }): AppServices {
  const state = engine.state;
  return {
    engine,
    demo: state.demo,
    jiraUrl: state.jiraUrl,
    listenAddress: state.listenAddress,
    apiVersion: state.apiVersion,
    settings: engine.settings,
    saveConfig: (config) => engine.saveConfig(config),
    saveCredentials: (credentials) => engine.saveCredentials(credentials),
    openEditor: options.openEditor,
    warnings: [...state.warnings, ...(options.warnings ?? [])],
    attachment: engine.attachment,
  };
}
