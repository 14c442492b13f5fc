export { Cacher, INITIAL_EVENTS_END_ANNOTATION } from './cacher';
export type { CacherOptions } from './cacher';
export { encodeOnce } from './encode-once';
