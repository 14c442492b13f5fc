export { parseEncryptionConfiguration, readEncryptionConfiguration, type EncryptionConfiguration, type ResourceEncryption } from './configuration';
export { EncryptedStorage, ENCRYPTED_DATA_FIELD } from './encrypted-storage';
export { aescbc, aesgcm, identity, secretbox, type EncryptionKey, type ValueTransformer } from './providers';
