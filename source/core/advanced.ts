// Advanced lines: the one import for the engine, the daemon and the app.
// Parsing is in advanced-parse.ts, label operations in advanced-labels.ts, and the
// checks and the CREATE/UPDATE bodies in advanced-compose.ts.
// See docs/protocol.md#advanced-lines.
export {
  MAX_GUID_LENGTH, MAX_LINE_BYTES, invalidUtf8At, parseAdvancedLine, utf8Length,
  type AdvancedAction, type AdvancedCommand, type ParseResult,
} from './advanced-parse.js';
export { applyLabelOps, foldLabelOps, guidLabel, parseLabelValue, type LabelOp } from './advanced-labels.js';
export {
  checkCommand, composeCreate, composeUpdate, mergeUpdatePlans, updatePlanBody,
  type CreatePlan, type UpdatePlan,
} from './advanced-compose.js';
