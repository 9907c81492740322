// A modal question with a few one-key answers ("Quit anyway? y/n", "Reset daily /
// totals / both?"). It owns the keyboard while it is shown; Esc always means no.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { isKey, keysOf } from '../key-bindings.js';

/** One answer: the key that picks it and its label. */
export interface Choice<T extends string> {
  key: string;
  value: T;
  label: string;
}

/** Props of ConfirmDialog. */
export interface ConfirmDialogProps<T extends string> {
  title: string;
  message?: string;
  choices: Array<Choice<T>>;
  onChoose(value: T): void;
  onCancel(): void;
  isActive?: boolean;
}

/** A bordered question; a choice's key picks it, Esc cancels. */
export function ConfirmDialog<T extends string>({ title, message, choices, onChoose, onCancel, isActive = true }: ConfirmDialogProps<T>): React.JSX.Element {
  useKeys((input, key) => {
    const picked = choices.find((choice) => choice.key === input.toLowerCase() && !key.ctrl);
    if (picked) onChoose(picked.value);
    else if (key.escape) onCancel();
  }, { isActive });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">{title}</Text>
      {message ? <Text wrap="wrap">{message}</Text> : null}
      <Text>{choices.map((c) => `[${c.key}] ${c.label}`).join('   ')}   [{keysOf('leave')}] cancel</Text>
    </Box>
  );
}

/** Props of YesNoDialog. */
export interface YesNoDialogProps {
  title: string;
  message?: string;
  onAnswer(yes: boolean): void;
  isActive?: boolean;
}

/** The common case: y / n (Esc is no). */
export function YesNoDialog({ title, message, onAnswer, isActive = true }: YesNoDialogProps): React.JSX.Element {
  useKeys((input, key) => {
    if (isKey('yes', input, key)) onAnswer(true);
    else if (isKey('no', input, key)) onAnswer(false);
  }, { isActive });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">{title}</Text>
      {message ? <Text wrap="wrap">{message}</Text> : null}
      <Text>[y] yes   [n] no</Text>
    </Box>
  );
}
