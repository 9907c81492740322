// The Authentication dialog: username + password (API token on Cloud), or an
// Authorization Key. Saved through the secrets module (keychain, else a 0600 file) and
// handed to the Jira client at once; shows which source is in use. Secrets are typed
// masked and never leave this component except wrapped in a Secret.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { Credentials } from '../../core/ports.js';
import { makeSecret, describeSource } from '../../secrets/index.js';
import { footerHints, isKey } from '../key-bindings.js';
import { TextInput } from '../components/text-input.js';
import type { AppServices } from '../app-services.js';
import { useValueStore } from '../value-store.js';

/** Props of AuthDialog. */
export interface AuthDialogProps {
  services: AppServices;
  isActive: boolean;
  width: number;
  onClose(message: string | null): void;
}

type Row = 'method' | 'username' | 'secret' | 'save';

/** The dialog's hint line, from the key table its keys are matched against. */
export function authHints(): string {
  return footerHints([[['up', 'down'], 'move'], ['edit', 'edit / save'], ['leave', 'close']]);
}

/** The dialog; Esc closes without saving. */
export function AuthDialog({ services, isActive, width, onClose }: AuthDialogProps): React.JSX.Element {
  const settings = useValueStore(services.settings);
  const [method, setMethod] = useState<'basic' | 'key'>(settings.config.auth.method);
  const [username, setUsername] = useState(settings.config.auth.username ?? '');
  const [secret, setSecret] = useState('');
  const [row, setRow] = useState<Row>('method');
  const [editing, setEditing] = useState<Row | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const rows: Row[] = method === 'basic' ? ['method', 'username', 'secret', 'save'] : ['method', 'secret', 'save'];

  const save = () => {
    if (method === 'basic' && !username.trim()) return setError('a username is needed');
    if (!secret) return setError(method === 'basic' ? 'a password or API token is needed' : 'an Authorization Key is needed');
    const credentials: Credentials = method === 'basic'
      ? { method: 'basic', username: username.trim(), password: makeSecret(secret) }
      : { method: 'key', key: makeSecret(secret) };
    setSaving(true);
    setError(null);
    services.saveCredentials(credentials).then(
      async (result) => {
        const config = { ...settings.config, auth: { method, username: method === 'basic' ? username.trim() : settings.config.auth.username } };
        await services.saveConfig(config);
        const env = result.source === 'environment' ? ' — but the JIRALINE_* environment variables are set and stay in use until unset' : '';
        onClose(`Credentials saved; in use: ${describeSource(result.source)}${env}.${result.warning ? ` ${result.warning}` : ''}`);
      },
      (e: unknown) => {
        setSaving(false);
        setError((e as Error).message);
      },
    );
  };

  useKeys((input, key) => {
    const at = rows.indexOf(row);
    if (isKey('up', input, key) || isKey('prev-region', input, key)) setRow(rows[Math.max(0, at - 1)]);
    else if (isKey('down', input, key) || isKey('next-region', input, key)) setRow(rows[Math.min(rows.length - 1, at + 1)]);
    else if (isKey('leave', input, key)) onClose(null);
    else if (row === 'method' && (isKey('edit', input, key) || isKey('left', input, key) || isKey('right', input, key))) {
      setMethod((m) => (m === 'basic' ? 'key' : 'basic'));
      setSecret('');
    } else if (isKey('edit', input, key)) {
      if (row === 'save') save();
      else setEditing(row);
    }
  }, { isActive: isActive && editing === null && !saving });

  const field = (name: Row, label: string, value: string, mask: boolean) => (
    <Box>
      <Text inverse={row === name && editing === null}>{label.padEnd(20)}</Text>
      <Text> </Text>
      {editing === name ? (
        <TextInput
          value={value}
          isActive={isActive}
          mask={mask}
          width={width - 26}
          onSubmit={(text) => {
            if (name === 'username') setUsername(text);
            else setSecret(text);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : <Text>{mask ? (value ? '•'.repeat(Math.min(12, value.length)) : '(not typed)') : value || '(none)'}</Text>}
    </Box>
  );

  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={Math.min(width, 90)}>
      <Text bold color="cyan">Authentication</Text>
      <Text dimColor wrap="truncate-end">In use: {describeSource(settings.credentialSource)}{settings.credentialSummary ? ` — ${settings.credentialSummary}` : ''}</Text>
      <Box>
        <Text inverse={row === 'method' && editing === null}>{'Method'.padEnd(20)}</Text>
        <Text> {method === 'basic' ? 'Username + password (API token on Cloud)' : 'Authorization Key (Bearer; PAT on Server/DC)'}  <Text dimColor>{footerHints([[['left', 'right'], 'change']])}</Text></Text>
      </Box>
      {method === 'basic' ? field('username', 'Username', username, false) : null}
      {field('secret', method === 'basic' ? 'Password / API token' : 'Authorization Key', secret, true)}
      <Text inverse={row === 'save' && editing === null}>{saving ? '[ saving… ]' : '[ Save ]'}</Text>
      {error ? <Text color="red">{error}</Text> : null}
      <Text dimColor>{authHints()}</Text>
    </Box>
  );
}
