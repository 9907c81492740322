// The frame: tab bar, demo hint, the shown pane (or the help / quit overlay), status
// line. It owns only what is global — which pane is shown, navigation vs edit mode, the
// overlays — and hands each pane the engine snapshot and its share of the screen.
import React, { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import type { AppServices, AttachmentState, PaneId } from './app-services.js';
import { paneTabs } from './app-services.js';
import { isKey, keyScopes } from './key-bindings.js';
import { useEngineSnapshot, REDRAW_INTERVAL_MS } from './hooks/use-engine.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { useValueStore } from './value-store.js';
import { TabBar } from './components/tab-bar.js';
import { StatusLine, statusHeight } from './components/status-line.js';
import { HelpOverlay } from './components/help-overlay.js';
import { YesNoDialog } from './components/confirm-dialog.js';
import { FullText, type DetailSection } from './components/full-text.js';
import { TextInput } from './components/text-input.js';
import { commandNames, parseCommand } from './command-line.js';
import type { InputMode, PaneMemory, PaneProps } from './panes/pane-props.js';
import { CreationPane } from './panes/creation-pane.js';
import { ConfigurationPane } from './panes/configuration-pane.js';
import { LogPane } from './panes/log-pane.js';
import { primeLogView } from './log-view-store.js';
import { StatisticsPane } from './panes/statistics-pane.js';
import { JiraPane } from './panes/jira-pane.js';
import { AlarmsPane } from './panes/alarms-pane.js';

/** Why the app asks to end. */
export type QuitReason = 'quit' | 'interrupt';

/** Props of App. */
export interface AppProps {
  services: AppServices;
  /** Fixed size (tests, benchmark); the terminal's, following resizes, otherwise. */
  size?: TerminalSize;
  initialPane?: PaneId;
  /** Pane memory to reuse (the app is remounted after $EDITOR). */
  memory?: PaneMemory;
  onQuit(reason: QuitReason): void;
  /** Told whenever the shown pane changes (run-app remounts on the same pane). */
  onPaneChange?(pane: PaneId): void;
  /** Told whenever navigation/edit mode changes (the key reader keeps pastes whole in edit mode). */
  onModeChange?(mode: InputMode): void;
  redrawIntervalMs?: number;
}

const panes: Record<PaneId, (props: PaneProps) => React.JSX.Element> = {
  creation: CreationPane,
  configuration: ConfigurationPane,
  log: LogPane,
  statistics: StatisticsPane,
  jira: JiraPane,
  alarms: AlarmsPane,
};

const noSubscription = () => () => undefined;

/** The attachment state when the app shows an engine in another process, else undefined. */
function useAttachment(services: AppServices): AttachmentState | undefined {
  const store = services.attachment;
  return useSyncExternalStore(store?.subscribe ?? noSubscription, () => store?.get());
}

/** The whole screen. */
export function App({ services, size, initialPane = 'creation', memory, onQuit, onPaneChange, onModeChange, redrawIntervalMs = REDRAW_INTERVAL_MS }: AppProps): React.JSX.Element {
  const { columns, rows } = useTerminalSize(size);
  const snapshot = useEngineSnapshot(services.engine, redrawIntervalMs);
  const settings = useValueStore(services.settings);
  const attachment = useAttachment(services);
  const [pane, setPane] = useState<PaneId>(initialPane);
  const [mode, setMode] = useState<InputMode>('navigate');
  const [overlay, setOverlay] = useState<'none' | 'help' | 'quit' | 'full' | 'command'>('none');
  // The command line's answer (an unknown command, a sent line's reply), shown until the next command.
  const [commandReply, setCommandReply] = useState<{ text: string; ok: boolean } | null>(null);
  // Bumped to mount the pane afresh when a command set what it starts from (a Log filter, a JQL).
  const [paneNonce, setPaneNonce] = useState(0);
  const paneDetails = useRef<DetailSection[]>([]);
  const details = useCallback((sections: DetailSection[]) => {
    paneDetails.current = sections;
  }, []);
  const paneMemory = useRef<PaneMemory>(memory ?? new Map()).current;

  useEffect(() => {
    onPaneChange?.(pane);
  }, [pane, onPaneChange]);

  // The Log pane's rows are read ahead once the first frame is out (log-view-store.ts), and
  // once the engine has started when the app was drawn before it (there are none before).
  useEffect(() => (services.starting ? undefined : primeLogView(paneMemory, services.engine, rows)), [paneMemory, services.engine, services.starting]); // eslint-disable-line react-hooks/exhaustive-deps -- once per engine, not per resize

  // The command line takes every key, as an editor does.
  const shownMode: InputMode = overlay === 'command' ? 'edit' : mode;
  useEffect(() => {
    onModeChange?.(shownMode);
  }, [shownMode, onModeChange]);

  const quit = () => {
    // Attached, the pending commands are the engine's, which keeps running: nothing to ask.
    if (!services.attachment && services.engine.pendingCount() > 0) setOverlay('quit');
    else onQuit('quit');
  };

  const runCommand = (text: string) => {
    setOverlay('none');
    const command = parseCommand(text);
    setCommandReply(null);
    if (command.kind === 'error') setCommandReply({ text: command.message, ok: false });
    else if (command.kind === 'help') setOverlay('help');
    else if (command.kind === 'quit') quit();
    else if (command.kind === 'send') {
      services.engine.submitLine(command.line).then(
        (reply) => setCommandReply({ text: reply, ok: reply.startsWith('OK') }),
        (error: unknown) => setCommandReply({ text: `ERR - ${(error as Error).message}`, ok: false }),
      );
    } else {
      if (command.arg !== '' && command.pane === 'log') {
        paneMemory.set('log.filter', command.arg);
        paneMemory.set('log.window', { cursor: 0, top: 0 });
      } else if (command.arg !== '' && command.pane === 'jira') {
        paneMemory.set('jira.jql', command.arg);
        paneMemory.set('jira.search', { state: 'idle' });
        paneMemory.set('jira.window', { cursor: 0, top: 0 });
        paneMemory.delete('jira.ticket');
      } else if (command.arg !== '') {
        setCommandReply({ text: `${command.pane} takes no argument (log takes a filter, jira a JQL)`, ok: false });
      }
      setPane(command.pane);
      setPaneNonce((n) => n + 1);
    }
  };

  // Ctrl-C works in every mode: raw mode swallows SIGINT, so the key is the only way in.
  useKeys((input, key) => {
    if (isKey('interrupt', input, key)) onQuit('interrupt');
  });

  useKeys((input, key) => {
    if (isKey('switch-pane', input, key)) {
      const tab = paneTabs[Number(input) - 1];
      if (tab) setPane(tab.id);
    } else if (isKey('start-engine', input, key) && attachment?.state === 'lost' && attachment.waitedLong) {
      services.startOwnEngine?.();
    } else if (isKey('help', input, key)) {
      setOverlay('help');
    } else if (isKey('view-full', input, key)) {
      setOverlay('full');
    } else if (isKey('command', input, key)) {
      setCommandReply(null);
      setOverlay('command');
    } else if (isKey('quit', input, key)) {
      quit();
    }
  }, { isActive: mode === 'navigate' && overlay === 'none' });

  const closeOverlay = useCallback(() => setOverlay('none'), []);
  const changeMode = useCallback((next: InputMode) => setMode(next), []);

  const height = Math.max(8, rows - 1); // one row spare: a full-height frame makes Ink clear the screen on every draw
  const notices: string[] = [];
  if (services.demo) notices.push('DEMO — real Jira: 2 Configuration → Jira URL, or --jira-url URL / JIRALINE_URL · this is the built-in Jira simulator (project DEMO)');
  for (const warning of services.warnings) notices.push(`warning: ${warning}`);
  if (settings.credentialWarning) notices.push(`warning: ${settings.credentialWarning}`);
  if (attachment?.state === 'lost') {
    notices.push(`✗ the engine (pid ${attachment.pid}) went away at ${new Date(attachment.since).toLocaleTimeString()}; reattaching when it is back (shown: what it last said)`);
    if (attachment.waitedLong) {
      notices.push(services.startOwnEngine
        ? '✗ no engine came back: start the daemon again (it is reattached at once), or press S to start an engine here in the app'
        : '✗ no engine came back: start the daemon again (it is reattached at once), or quit and run jiraline to start one in the app');
    }
  }
  const status = { snapshot, demo: services.demo, jiraUrl: services.jiraUrl, credentialSource: settings.credentialSource, listenAddress: services.listenAddress, attachment, starting: services.starting };
  const commandRow = overlay === 'command' || commandReply !== null ? 1 : 0;
  const bodyHeight = Math.max(3, height - 1 - statusHeight(status, columns) - notices.length - commandRow);
  const Pane = panes[pane];
  const pending = snapshot.queueDepth;

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <TabBar tabs={paneTabs.map((t) => ({ key: t.key, title: t.title }))} current={paneTabs.find((t) => t.id === pane)?.key ?? '1'} mode={shownMode} width={columns} />
      {notices.map((notice, i) => (
        <Text key={i} color={notice.startsWith('DEMO') ? 'magenta' : notice.startsWith('✗') ? 'red' : 'yellow'} wrap="truncate-end">{notice}</Text>
      ))}
      <Box flexDirection="column" height={bodyHeight} width={columns} overflow="hidden" flexShrink={0}>
        {overlay === 'help' ? (
          <HelpOverlay width={columns} height={bodyHeight} onClose={closeOverlay} isActive
            first={keyScopes.find((s) => s === paneTabs.find((t) => t.id === pane)?.title)} />
        ) : overlay === 'quit' ? (
          <YesNoDialog
            title="Quit jiraline?"
            message={`${pending} command${pending === 1 ? ' is' : 's are'} still pending. They are kept on disk and sent at the next start (or by the daemon).`}
            onAnswer={(yes) => (yes ? onQuit('quit') : setOverlay('none'))}
          />
        ) : (
          <>
          {overlay === 'full' ? (
            <FullText sections={[{ title: 'Notices', lines: notices }, { title: 'Command line', lines: commandReply ? [commandReply.text] : [] }, ...paneDetails.current]} width={columns} height={bodyHeight} onClose={closeOverlay} isActive />
          ) : null}
          {/* Kept mounted under the full-text view: what it shows (an Execute's outcome) is still there after. */}
          <Box display={overlay === 'full' ? 'none' : 'flex'} flexDirection="column">
          <Pane
            key={`${pane}:${paneNonce}`}
            services={services}
            snapshot={snapshot}
            isActive={overlay === 'none'}
            width={columns}
            height={bodyHeight}
            setMode={changeMode}
            memory={paneMemory}
            details={details}
          />
          </Box>
          </>
        )}
      </Box>
      {overlay === 'command' ? (
        <Box>
          <Text color="yellow">:</Text>
          <TextInput value="" isActive width={columns - 2} placeholder={commandNames}
            onSubmit={runCommand} onCancel={() => setOverlay('none')} />
        </Box>
      ) : commandReply ? <Text color={commandReply.ok ? 'green' : 'red'} wrap="truncate-end">{commandReply.text}</Text> : null}
      <StatusLine {...status} width={columns} />
    </Box>
  );
}
