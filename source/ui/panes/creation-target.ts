// The Creation pane shows one of two drafts: the Manual draft (what Execute sends) or the
// automatic CREATE template (what every CREATE line starts from). They are kept apart in the
// config (`draft` and `template`); a config from before they were apart has only `template`,
// and its Manual draft starts as a copy of it.
import { useEffect, useRef } from 'react';
import type { Config, TemplateRow } from '../../core/config.js';
import { draftReducer, draftTemplate, type DraftState } from '../../core/draft.js';
import { useValueStore, type ValueStore } from '../value-store.js';
import type { SettingsState } from '../../daemon/shared-settings.js';

/** Which of the two the pane shows. */
export type CreationTarget = 'draft' | 'template';

/** The rows of one of the two as the config holds them. */
export function rowsOf(config: Config, target: CreationTarget): TemplateRow[] {
  return target === 'template' ? config.template : config.draft ?? config.template;
}

/**
 * Loads the rows into their draft when they change elsewhere (another app attached to the same
 * engine), unless they are what this pane saved last or already shows.
 */
export function useSharedRows(settings: ValueStore<SettingsState>, target: CreationTarget, store: ValueStore<DraftState>, lastSaved: Record<CreationTarget, string | null>): void {
  // A draft never saved (null) stays the copy of the template it started as.
  const config = useValueStore(settings).config;
  const shared = target === 'template' ? config.template : config.draft;
  const first = useRef(shared);
  useEffect(() => {
    if (shared === first.current || shared === null) return;
    const text = JSON.stringify(shared);
    if (text === lastSaved[target] || text === JSON.stringify(draftTemplate(store.get()))) return;
    lastSaved[target] = text;
    store.set((s) => draftReducer(s, { type: 'load-template', template: shared }));
  }, [shared, store, target, lastSaved]);
}
