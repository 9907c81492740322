// The keyboard side of the app's editors. The state lives in a ref updated synchronously
// on every key, so keys that arrive before React re-renders build on each other instead
// of on a stale value (the ink-text-input failure mode over SSH).
import { useRef, useState } from 'react';
import { useKeys } from '../hooks/use-keys.js';
import { editReducer, editState, keyEffect, type EditState } from './text-editing.js';

/** Callbacks and options of useEditor. */
export interface EditorOptions {
  /** With onChange: the owner's text, which wins when it differs (cursor kept in range).
   *  Without onChange: only the initial text. */
  text: string;
  multiline: boolean;
  isActive: boolean;
  onChange?(text: string): void;
  onSubmit?(text: string): void;
  onCancel?(text: string): void;
  /** ↑↓ are not the editor's (a pick list under it takes them). */
  noArrows?: boolean;
}

/** The current text and cursor; keys change them while `isActive`. */
export function useEditor(options: EditorOptions): EditState {
  const ref = useRef<EditState>(editState(options.text));
  const [, redraw] = useState(0);
  if (options.onChange && ref.current.text !== options.text) {
    ref.current = { text: options.text, cursor: Math.min(ref.current.cursor, options.text.length) };
  }
  const latest = useRef(options);
  latest.current = options;
  useKeys((input, key) => {
    if (latest.current.noArrows && (key.upArrow || key.downArrow)) return;
    const effect = keyEffect(input, key, latest.current.multiline);
    const before = ref.current.text;
    for (const edit of effect.edits) ref.current = editReducer(ref.current, edit);
    redraw((n) => n + 1);
    if (ref.current.text !== before) latest.current.onChange?.(ref.current.text);
    if (effect.enter > 0) latest.current.onSubmit?.(ref.current.text);
    else if (effect.escape) latest.current.onCancel?.(ref.current.text);
  }, { isActive: options.isActive, split: false });
  return ref.current;
}
