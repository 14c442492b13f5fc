export { FieldManager, LAST_APPLIED_ANNOTATION, type FieldManagerOptions } from './field-manager';
export type { PlainObject, ResourceVersions } from './updater';
export { COMPUTED_MANAGED_FIELDS, fieldManagerFor, managerOf, schemeVersions, servedPlain, updateTracker } from './served-resource';
export { scaleFieldsFor, type ScaleFields } from './served-scale';
