// The template demo mode creates tickets with: the built-in simulator's DEMO project.
// Apart from the runtime so that the app's first frame can draw it without loading the engine.
import type { TemplateRow } from './config.js';

/** The template demo mode creates tickets with: the simulator's DEMO project. */
export const demoTemplate: TemplateRow[] = [
  { field: 'project', value: 'DEMO', mode: 'Include' },
  { field: 'issuetype', value: 'Task', mode: 'Include' },
  { field: 'summary', value: 'Demo ticket from jiraline', mode: 'Include' },
  { field: 'priority', value: 'Medium', mode: 'Include' },
];
