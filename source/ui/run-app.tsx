// `jiraline [tui]`: the full-screen app. Resolves the settings (bad ones are exit 2 before
// the screen is touched), draws a first frame at once, then hands over to screen.tsx.
// React and Ink are loaded only from here, after NODE_ENV is settled: React's development
// build, which Node would otherwise load, makes every keypress several times slower.
import { engineOptions, parseCommandArgs, UsageError } from '../cli-args.js';
import { resolveSettings } from '../daemon/settings.js';
import { createAltScreen, crashMessage, installExitGuards } from './alt-screen.js';
import { earlyFrame, startTemplate } from './early-frame.js';

const usage = `Usage: jiraline [tui] [--config FILE] [--data-dir DIR] [--listen HOST:PORT|off] [--jira-url URL | --demo]
  The full-screen app: five panes (Creation, Configuration, Log, Statistics, Jira) over the
  engine, which also serves the Advanced socket while the app runs. Without a Jira URL it
  runs in demo mode against a built-in simulator. ? shows every key; q quits.
`;

/** Runs the app until the operator quits; returns the exit code. */
export async function runApp(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('tui', args, engineOptions);
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('jiraline: the full-screen app needs a terminal; for automation run jiraline daemon');
  }
  const settings = resolveSettings(values, process.env, 'tui');
  process.env.NODE_ENV ??= 'production';
  // A first frame now; Ink's replaces it once loaded. Until then, a signal or a crash only
  // has the screen to give back.
  // Keys typed from now on wait in the terminal, unechoed and not held for a newline, for
  // the App to read once drawn: nothing typed at a started app is lost or printed over it.
  process.stdin.setRawMode(true);
  const alt = createAltScreen(process.stdout);
  alt.enter();
  process.stdout.write(earlyFrame({ columns: process.stdout.columns, rows: process.stdout.rows, demo: settings.demo, jiraUrl: settings.config.jira.url,
    template: startTemplate(settings) }));
  const detach = installExitGuards((cause) => {
    process.stdin.setRawMode(false);
    alt.leave();
    if (cause.kind === 'crash') process.stderr.write(`${crashMessage(cause.error)}\n`);
    process.exit(cause.kind === 'crash' ? 1 : 0);
  });
  let screen: typeof import('./screen.js');
  try {
    screen = await import('./screen.js');
  } catch (error) {
    process.stdin.setRawMode(false);
    alt.leave();
    throw error;
  } finally {
    detach();
  }
  try {
    return await screen.runOnScreen(settings, alt);
  } finally {
    process.stdin.setRawMode(false);
  }
}
