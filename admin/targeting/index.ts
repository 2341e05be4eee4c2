/**
 * The targeting, trigger and schedule editors, for any screen that edits a campaign: each takes the schema's
 * own value (`value`), hands back the next one (`onChange`) and shows the API's field errors (`errors`).
 */
export { DaypartingEditor, type DaypartingEditorProps, type DaypartingValue } from './dayparting-editor'
export { targetingSentence } from './describe'
export { RuleBuilder, type SegmentOption } from './rule-builder'
export { TargetingEditor, type TargetingEditorProps, useSegments } from './targeting-editor'
export { TriggerEditor, type TriggerEditorProps, triggerKinds, triggerProblem } from './trigger-editor'
export { TryVisitor } from './try-visitor'
