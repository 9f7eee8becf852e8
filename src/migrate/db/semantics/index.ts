// Comparison semantics that must survive the move: MySQL collations -> citext / ICU collations, and
// notes with evidence for what cannot be kept.
export { classifyCollation, type CollationRule } from './collation.js';
export { chooseMechanism, describeSupport, mechanismExtensions, mechanismSetupObjects, mechanismSetupSql, type CollationMode, type Mechanism } from './mechanism.js';
export { collatedPrefix, collatedType, isCollatedColumn, type CollatedType } from './column.js';
export { collisionQueries, EVIDENCE_ROW_LIMIT, textEvidenceProbes } from './evidence.js';
export { lossNotes } from './notes.js';
export { readTargetSupport, type TargetSupport } from './target.js';
export { planCollation, type CollationOptions, type PlannedCollation } from './plan-column.js';
