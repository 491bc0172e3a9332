export { applyLayout, readField } from "./apply";
export { findIbans, isValidIban } from "./iban";
export { type Learned, learnField, learnLayout } from "./learn";
export { normaliseLabel } from "./rows";
export {
  type FieldLayout,
  type LayoutPage,
  type LayoutWord,
  type MemoryFieldName,
  maxLayoutWords,
  memoryConfidence,
  memoryFieldNames,
  type Relation,
  type SupplierLayout,
  type ValueFormat,
  type Zone,
} from "./types";
export { type MemoryLookup, type SupplierIdentity, withMemory } from "./with-memory";
