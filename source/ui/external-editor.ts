// `e` on the Creation pane: the Create Query in $VISUAL / $EDITOR, as `kubectl edit`
// does. The text goes to a private temp file, the editor runs in the foreground with the
// terminal (the caller has taken the app off the screen first), and what was saved
// comes back. The command is run by sh, so EDITOR="code --wait" works as in git.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EditorOutcome } from './app-services.js';

/** $VISUAL, else $EDITOR, else vi. */
export function editorCommand(env: Record<string, string | undefined>): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

/** Runs the editor on the text (blocking, terminal inherited); the saved text or why not. */
export function editText(text: string, env: Record<string, string | undefined> = process.env): EditorOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'jiraline-'));
  const file = join(dir, 'create-query.json');
  try {
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    const command = editorCommand(env);
    const result = spawnSync('/bin/sh', ['-c', `${command} "$1"`, 'jiraline-editor', file], { stdio: 'inherit', env: env as NodeJS.ProcessEnv });
    if (result.error) return { ok: false, error: `could not run ${command}: ${result.error.message}` };
    if (result.status !== 0) {
      return { ok: false, error: `${command} exited with ${result.status ?? result.signal}; the Create Query was left as it was` };
    }
    return { ok: true, text: readFileSync(file, 'utf8').replace(/\n$/, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
