/**
 * apiserver-kit's public API: everything a project that builds a server imports.
 */
import 'reflect-metadata';

export * from './framework/api';
export * from './framework/runtime';
export * from './framework/storage';
export { Cacher, encodeOnce } from './framework/storage/cacher';
export type { CacherOptions } from './framework/storage/cacher';

export { Store } from './framework/registry/store';
export type { StoreOptions, ListQuery, WatchQuery, DeleteRequest, UpdateRequest, UpdateResult, DeleteResult, UpdatedObjectFn, CreateRequest, ManagedFieldsTracker } from './framework/registry/store';
export type { RESTStrategy } from './framework/registry/strategy';
export { newRequestContext } from './framework/registry/context';
export type { RequestContext, UserInfo } from './framework/registry/context';
export { strategyFromHooks } from './framework/registry/hook-strategy';

export * from './framework/admission';

export * from './framework/auth';
export * from './framework/server/audit';
export { parseEncryptionConfiguration, readEncryptionConfiguration, EncryptedStorage, ENCRYPTED_DATA_FIELD } from './framework/storage/encryption';
export { aescbc, aesgcm, secretbox, identity as identityEncryption } from './framework/storage/encryption';
export type { EncryptionConfiguration, ResourceEncryption, EncryptionKey, ValueTransformer } from './framework/storage/encryption';

export { GenericAPIServer } from './framework/server/generic-apiserver';
export type { GenericAPIServerOptions, SecureServingOptions } from './framework/server/generic-apiserver';
export { newAPIGroupInfo } from './framework/server/api-group-info';
export type { APIGroupInfo } from './framework/server/api-group-info';
export { APIServerBuilder } from './framework/server/apiserver-builder';
export type { APIGroupDefinition, GroupInstallContext, RunningServer } from './framework/server/apiserver-builder';
export { defaultRunOptions, flagHelp, parseRunOptions } from './framework/server/options';
export type { ServerRunOptions } from './framework/server/options';
export { serveUntilStopped } from './framework/server/serve';
export type { ServeOptions } from './framework/server/serve';
export { isSupervisedWorker, isWorkersPrimary, onStopRequest, reportReadyToPrimary, runsSingletonControllers, superviseWorkers } from './framework/server/workers';
export type { SuperviseOptions } from './framework/server/workers';
export type { HealthCheck } from './framework/server/healthz';
export { parseRequestInfo } from './framework/server/request-info';
export type { RequestInfo, ResourceRequestInfo, Verb } from './framework/server/request-info';
export * from './framework/server/pki';

export { installCore } from './framework/core/install';
export { Namespace, NamespaceV1 } from './framework/core/namespace/types';
export * from './framework/core/configmap';

export * from './framework/client';
export { ConversionWebhookServer, conversionWebhookHandler } from './framework/server/conversion-webhook';
export type { ConversionWebhookOptions, ConversionWebhookServerOptions } from './framework/server/conversion-webhook';
export { reviewConversion, parseConversionReview, CONVERSION_REVIEW_VERSIONS } from './framework/endpoints/conversion-review';
export type { ConversionReview, ConversionRequest, ConversionResponse, ConversionResult } from './framework/endpoints/conversion-review';
export { FieldManager, LAST_APPLIED_ANNOTATION, schemeVersions } from './framework/endpoints/fieldmanager';
export type { FieldManagerOptions, PlainObject, ResourceVersions } from './framework/endpoints/fieldmanager';
export * from './framework/aggregator';
export * from './framework/apiextensions';
