// What the app is given by whoever starts it (run-app.tsx from the real runtime; tests
// from a real engine on a temp dir and the simulator). The panes reach the engine only
// through `engine` (EngineApi); everything else here is composition: where to save the
// config, how to store credentials, how to run $EDITOR.
import type { Config } from '../core/config.js';
import type { EngineApi } from '../core/engine-api.js';
import type { CredentialSource, Credentials } from '../core/ports.js';
import type { SettingsState } from '../daemon/shared-settings.js';
import type { AttachmentState } from '../control/remote-engine.js';
import type { ValueStore } from './value-store.js';

/** Settings state shared by the panes and the status line (one store per engine). */
export type { SettingsState } from '../daemon/shared-settings.js';
export type { AttachmentState } from '../control/remote-engine.js';

/** The outcome of editing text in $VISUAL/$EDITOR. */
export type EditorOutcome = { ok: true; text: string } | { ok: false; error: string };

/** Everything the app needs from outside the Ink tree. */
export interface AppServices {
  engine: EngineApi;
  /** True when running against the in-process simulator (no Jira configured). */
  demo: boolean;
  /** The Jira URL in use (the simulator's in demo mode). */
  jiraUrl: string | null;
  /** The socket's actual bound address, or null when listening is off. */
  listenAddress: string | null;
  /** 3 when the Ticket Location names API 3 (rich text as ADF). */
  apiVersion: 2 | 3;
  /** The config in use and the credential source; the Configuration pane updates it. */
  settings: ValueStore<SettingsState>;
  /** Validated config in → written atomically, applied live (engine.setConfig) where possible,
   *  and put in `settings`. What needs a restart is the pane's to say (config-form.ts). */
  saveConfig(config: Config): Promise<void>;
  /** Stores credentials (keychain or 0600 file) and hands them to the Jira client at once. */
  saveCredentials(credentials: Credentials): Promise<{ source: CredentialSource; warning?: string }>;
  /** Suspends the app, runs the editor on the text, and resumes with what was saved. */
  openEditor(text: string): Promise<EditorOutcome>;
  /** Warnings to show once at start (insecure TLS, credentials file …). */
  warnings: string[];
  /** Set when the engine runs in another process and this app is attached to it. */
  attachment?: ValueStore<AttachmentState>;
  /** Attached, once no engine came back: starts one in this app (only ever on the user's word). */
  startOwnEngine?(): void;
  /** True while the engine is still starting (starting-services.ts): the app is drawn and takes keys; what needs the engine waits for it. */
  starting?: boolean;
}


/** The panes. */
export type PaneId = 'creation' | 'configuration' | 'log' | 'statistics' | 'jira' | 'alarms';

/** Tab order, key and title of each pane. */
export const paneTabs: ReadonlyArray<{ id: PaneId; key: string; title: string }> = [
  { id: 'creation', key: '1', title: 'Creation' },
  { id: 'configuration', key: '2', title: 'Configuration' },
  { id: 'log', key: '3', title: 'Log' },
  { id: 'statistics', key: '4', title: 'Statistics' },
  { id: 'jira', key: '5', title: 'Jira' },
  { id: 'alarms', key: '6', title: 'Alarms' },
];
