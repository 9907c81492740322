// Layout constants shared by the frame and the panes.

/** Below this many columns, panes stack their regions instead of splitting them side by side. */
export const STACK_BELOW = 100;
