// The Configuration pane: a form generated from the config schema (config-form.ts),
// the Authentication dialog, Test connection, and an Advanced input whose lines are
// handled as if they came from the socket. Valid values are saved atomically and
// applied live where the engine can; the pane says which need a restart.
import React, { useMemo, useReducer, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import Spinner from 'ink-spinner';
import type { ConnectionState } from '../../core/engine-api.js';
import { footerHints, isKey, keysOf } from '../key-bindings.js';
import { useDetails } from '../components/full-text.js';
import { useFind } from '../hooks/use-find.js';
import { useList } from '../hooks/use-list.js';
import { TextInput } from '../components/text-input.js';
import { fit } from '../components/windowed-table.js';
import { useValueStore } from '../value-store.js';
import { applyField, fieldDisplay, fieldValue, formFields, restartNeeded, toggleField, type ApplyResult, type FormField } from '../config-form.js';
import { AuthDialog } from './auth-dialog.js';
import { useModeSync, useRemembered, type PaneProps } from './pane-props.js';

type Item = { kind: 'field'; field: FormField } | { kind: 'auth' } | { kind: 'test' };

type Message = { text: string; color: string } | null;

/** What a connection check found, in a line or two. */
export function describeCheck(c: ConnectionState): string[] {
  switch (c.state) {
    case 'ok': {
      const s = c.serverInfo;
      const user = c.user.name ?? c.user.accountId ?? '';
      return [
        `serverInfo: ${s.serverTitle ? `${s.serverTitle}, ` : ''}Jira ${s.deploymentType} ${s.version} at ${s.baseUrl}`,
        `myself: ${c.user.displayName}${user ? ` (${user})` : ''}${c.user.emailAddress ? ` <${c.user.emailAddress}>` : ''}`,
      ];
    }
    case 'auth-refused': return [`Jira refused the credentials: ${c.error}`, 'Set them with u (Authentication) or `jiraline auth set`.'];
    case 'down': return [`Jira did not answer: ${c.error}`];
    case 'checking': return ['checking…'];
    case 'unknown': return ['not checked yet'];
  }
}

const configurationHints = footerHints([['next-region', 'form / Advanced input'], ['authenticate', 'Authentication'], ['test-connection', 'Test connection'], ['find', 'find']]);

/** What the pane's keyboard is doing: browsing, editing a field, the Authentication dialog, typing an Advanced line. */
type ConfigMode = { kind: 'browse' } | { kind: 'field'; field: FormField } | { kind: 'auth' } | { kind: 'line' };
type ConfigModeAction = { type: 'field'; field: FormField } | { type: 'auth' } | { type: 'line' } | { type: 'leave' };
const browsing: ConfigMode = { kind: 'browse' };

/** One editor at a time, entered from browsing, always left back to it. */
export function configModeReducer(mode: ConfigMode, action: ConfigModeAction): ConfigMode {
  if (action.type === 'leave') return browsing;
  if (mode.kind !== 'browse') return mode;
  return action.type === 'field' ? { kind: 'field', field: action.field } : { kind: action.type };
}

/** The Configuration pane. */
export function ConfigurationPane({ services, isActive, width, height, setMode, memory, details }: PaneProps): React.JSX.Element {
  const engine = services.engine;
  const settings = useValueStore(services.settings);
  const config = settings.config;
  const fields = useMemo(() => formFields(), []);
  const items: Item[] = useMemo(() => [...fields.map((field) => ({ kind: 'field' as const, field })), { kind: 'auth' }, { kind: 'test' }], [fields]);
  const [region, setRegion] = useState<'form' | 'advanced'>('form');
  const [win, setWin] = useRemembered(memory, 'config.window', { cursor: 0, top: 0 });
  const [mode, changeMode] = useReducer(configModeReducer, browsing);
  const editing = mode.kind === 'field' ? mode.field : null;
  const dialog = mode.kind === 'auth';
  const typingLine = mode.kind === 'line';
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [checking, setChecking] = useState(false);
  const [check, setCheck] = useRemembered<string[] | null>(memory, 'config.check', null);
  const [line, setLine] = useState('');
  const [replies, setReplies] = useRemembered<Array<{ line: string; reply: string }>>(memory, 'config.replies', []);

  // Everything but the form takes one row each (title, help, message, Advanced) plus the
  // connection check and the last replies when there are some; the form gets the rest.
  const extra = (checking ? 1 : check ? Math.min(2, check.length) : 0) + Math.min(2, replies.length);
  const formRows = Math.max(3, height - 4 - extra);
  const list = useList(items.length, formRows, { state: [win, setWin] });
  const w = list.window;
  const item = items[w.cursor];
  const find = useFind(() => items.map((it) => (it.kind === 'field' ? `${it.field.group} ${it.field.label} ${it.field.key}` : it.kind === 'auth' ? 'Authentication' : 'Test connection')), (index) => {
    setRegion('form');
    list.set({ cursor: index, top: Math.max(0, index - formRows + 1) });
  });
  useModeSync(setMode, editing !== null || dialog || typingLine || find.open);

  const commit = (result: ApplyResult) => {
    if (!result.ok) {
      setFieldError(result.error);
      return false;
    }
    setFieldError(null);
    const before = config;
    services.saveConfig(result.config).then(
      () => {
        const restart = restartNeeded(before, result.config);
        setMessage(restart.length > 0
          ? { text: `Saved. Takes effect after a restart: ${restart.join(', ')}.`, color: 'yellow' }
          : { text: 'Saved and applied.', color: 'green' });
      },
      (error: unknown) => setMessage({ text: `Could not save the config: ${(error as Error).message}`, color: 'red' }),
    );
    return true;
  };

  const testConnection = () => {
    setChecking(true);
    setCheck(null);
    engine.checkConnection().then(
      (state) => {
        setChecking(false);
        setCheck(describeCheck(state));
      },
      (error: unknown) => {
        setChecking(false);
        setCheck([`Check failed: ${(error as Error).message}`]);
      },
    );
  };

  const activate = (it: Item) => {
    setMessage(null);
    if (it.kind === 'auth') changeMode({ type: 'auth' });
    else if (it.kind === 'test') testConnection();
    else if (it.field.kind === 'switch') commit(toggleField(config, it.field));
    else {
      setFieldError(null);
      changeMode({ type: 'field', field: it.field });
    }
  };

  useKeys((input, key) => {
    if (isKey('next-region', input, key) || isKey('prev-region', input, key)) setRegion((r) => (r === 'form' ? 'advanced' : 'form'));
    else if (isKey('authenticate', input, key)) changeMode({ type: 'auth' });
    else if (isKey('test-connection', input, key)) testConnection();
    else if (isKey('find', input, key)) find.start();
    else if (region === 'advanced') {
      if (isKey('edit', input, key)) changeMode({ type: 'line' });
    } else if (list.keyMove(input, key)) return;
    else if (isKey('edit', input, key) && item) activate(item);
  }, { isActive: isActive && editing === null && !dialog && !typingLine && !find.open });

  const submitLine = (text: string) => {
    setLine('');
    if (!text.trim()) return;
    engine.submitLine(text).then(
      (reply) => setReplies((r) => [...r, { line: text, reply }].slice(-3)),
      (error: unknown) => setReplies((r) => [...r, { line: text, reply: `ERR - ${(error as Error).message}` }].slice(-3)),
    );
  };

  useDetails(details, () => {
    const f = item?.kind === 'field' ? item.field : null;
    return [
      { title: 'Selected field', lines: f ? [`${f.group} · ${f.label}: ${services.demo && f.key === 'jira.url' ? 'demo (built-in simulator)' : fieldDisplay(config, f)}`,
        `${f.help}${f.restart ? ' — needs a restart' : ' — applied live'}`] : [] },
      { title: 'Messages', lines: [...(fieldError ? [`Refused: ${fieldError}`] : []), ...(message ? [message.text] : []), ...(check ?? [])] },
      { title: 'Advanced replies', lines: replies.flatMap((r) => [`> ${r.line}`, r.reply]) },
      { title: 'Keys', lines: [configurationHints] },
    ];
  });

  if (dialog) {
    return (
      <AuthDialog services={services} isActive={isActive} width={width} onClose={(text) => {
        changeMode({ type: 'leave' });
        if (text) setMessage({ text, color: 'green' });
      }} />
    );
  }

  const labelWidth = Math.min(34, Math.max(20, Math.floor(width * 0.35)));
  // In demo mode the URL in use is the built-in simulator's, on a port chosen for this run:
  // shown as what it is, and a real URL is typed into an empty field.
  const demoUrl = (f: FormField) => services.demo && f.key === 'jira.url';
  const focusedField = item?.kind === 'field' ? item.field : null;
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold wrap="truncate-end">Configuration <Text dimColor>({configurationHints})</Text></Text>
      {items.slice(w.top, w.top + formRows).map((it, i) => {
        const index = w.top + i;
        const selected = index === w.cursor && region === 'form';
        if (it.kind !== 'field') {
          const inUse = settings.credentialSource === 'none' ? 'none' : `${settings.credentialSource}${settings.credentialSummary ? `: ${settings.credentialSummary}` : ''}`;
          const label = it.kind === 'auth'
            ? `Authentication…  (in use: ${inUse}${services.demo ? '; the demo simulator needs none' : ''})`
            : 'Test connection  (serverInfo + myself)';
          return <Text key={index} inverse={selected} wrap="truncate-end">{fit('', 9)}{label}</Text>;
        }
        const f = it.field;
        const groupStart = index === 0 || (items[index - 1].kind === 'field' && (items[index - 1] as { field: FormField }).field.group !== f.group);
        return (
          <Box key={f.key}>
            <Text dimColor>{fit(groupStart ? f.group : '', 9)}</Text>
            <Text inverse={selected && editing === null}>{fit(f.label, labelWidth)}</Text>
            <Text> </Text>
            {editing?.key === f.key ? (
              <TextInput
                value={demoUrl(f) ? '' : fieldValue(config, f)}
                isActive={isActive}
                width={width - labelWidth - 14}
                onSubmit={(text) => {
                  if (commit(applyField(config, f, text))) changeMode({ type: 'leave' });
                }}
                onCancel={() => {
                  changeMode({ type: 'leave' });
                  setFieldError(null);
                }}
              />
            ) : <Text wrap="truncate-end">{demoUrl(f) ? 'demo (built-in simulator)' : fieldDisplay(config, f)}{f.restart ? <Text dimColor>  (restart)</Text> : null}</Text>}
          </Box>
        );
      })}
      {fieldError ? <Text color="red" wrap="truncate-end">Refused: {fieldError}</Text>
        : <Text dimColor wrap="truncate-end">{focusedField ? `${focusedField.help}${focusedField.restart ? ' — needs a restart' : ' — applied live'}` : ' '}</Text>}
      {find.open ? find.box(width - 2, isActive)
        : message ? <Text color={message.color} wrap="truncate-end">{message.text}</Text> : <Text> </Text>}
      <Box flexDirection="column">
        {checking ? <Text color="yellow"><Spinner type="dots" /> testing the connection (serverInfo, myself)…</Text> : null}
        {!checking && check ? check.slice(0, 2).map((l, i) => <Text key={i} wrap="truncate-end" color={i === 0 ? 'cyan' : undefined}>{l}</Text>) : null}
      </Box>
      <Box>
        <Text inverse={region === 'advanced' && !typingLine} bold>Advanced </Text>
        <Text> </Text>
        {typingLine ? (
          <TextInput
            value={line}
            isActive={isActive}
            width={width - 14}
            placeholder="GUID|CREATE|summary;Disk full|"
            onChange={setLine}
            onSubmit={submitLine}
            onCancel={() => changeMode({ type: 'leave' })}
          />
        ) : <Text dimColor wrap="truncate-end">{region === 'advanced' ? `${keysOf('edit')} to type a line (${footerHints([['leave', 'leaves']])})` : `${keysOf('next-region')} here to type an Advanced line`}</Text>}
      </Box>
      {replies.slice(-2).map((r, i) => (
        <Text key={i} wrap="truncate-end" color={r.reply.startsWith('OK') ? 'green' : 'red'}>{r.reply}</Text>
      ))}
    </Box>
  );
}
