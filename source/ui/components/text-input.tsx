// A one-line text input built on useEditor (safe with several keys per read).
import React from 'react';
import { Text } from 'ink';
import { useEditor } from './use-editor.js';

/** Props of TextInput. */
export interface TextInputProps {
  /** Initial text; with onChange, the owner's current text. */
  value: string;
  isActive: boolean;
  /** Visible columns; the text scrolls to keep the cursor in view. */
  width?: number;
  placeholder?: string;
  /** Shows every character as • (passwords, keys). */
  mask?: boolean;
  onChange?(text: string): void;
  onSubmit?(text: string): void;
  onCancel?(text: string): void;
  /** ↑↓ are left to a pick list beside the input. */
  noArrows?: boolean;
}

/** An editable line; the cursor is drawn inverse while active. */
export function TextInput({ value, isActive, width = 40, placeholder, mask, onChange, onSubmit, onCancel, noArrows }: TextInputProps): React.JSX.Element {
  const state = useEditor({ text: value, multiline: false, isActive, onChange, onSubmit, onCancel, noArrows });
  const shown = mask ? '•'.repeat(state.text.length) : state.text;
  if (!isActive) {
    return shown ? <Text wrap="truncate-end">{shown}</Text> : <Text dimColor wrap="truncate-end">{placeholder ?? ''}</Text>;
  }
  const room = Math.max(1, width - 1);
  const start = Math.max(0, state.cursor - room + 1);
  const before = shown.slice(start, state.cursor);
  const at = shown[state.cursor] ?? ' ';
  const after = shown.slice(state.cursor + 1, start + room);
  return (
    <Text wrap="truncate-end">
      {before}
      <Text inverse>{at}</Text>
      {after}
      {!shown && placeholder ? <Text dimColor>{placeholder}</Text> : null}
    </Text>
  );
}
