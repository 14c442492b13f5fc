/**
 * The value transformers of kube-apiserver's EncryptionConfiguration: aescbc,
 * aesgcm and secretbox with named keys, and identity. Encrypted values carry
 * kube's prefix `k8s:enc:<provider>:v1:<key name>:` so that the provider and
 * key that wrote them are known when reading.
 */
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import nacl from 'tweetnacl';

export interface EncryptionKey {
  name: string;
  /** The raw key bytes. */
  secret: Buffer;
}

/** Seals and opens values; authenticated data binds a value to where it is stored (aesgcm). */
export interface ValueTransformer {
  /** `k8s:enc:aescbc:v1:key1:`, or '' for identity. */
  readonly prefix: string;
  seal(plain: Buffer, authenticatedData: string): Buffer;
  /** Throws when the value was not sealed with this key or was tampered with. */
  open(sealed: Buffer, authenticatedData: string): Buffer;
}

const AES_KEY_LENGTHS = [16, 24, 32];

function aesAlgorithm(mode: 'cbc' | 'gcm', key: EncryptionKey): string {
  if (!AES_KEY_LENGTHS.includes(key.secret.length)) throw new Error(`key ${key.name}: an AES key is 16, 24 or 32 bytes, not ${key.secret.length}`);
  return `aes-${key.secret.length * 8}-${mode}`;
}

/** AES-CBC with PKCS#7 padding and a random IV in front, as kube's aescbc. */
export function aescbc(key: EncryptionKey): ValueTransformer {
  const algorithm = aesAlgorithm('cbc', key);
  return {
    prefix: `k8s:enc:aescbc:v1:${key.name}:`,
    seal(plain) {
      const iv = randomBytes(16);
      const cipher = createCipheriv(algorithm, key.secret, iv);
      return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
    },
    open(sealed) {
      const decipher = createDecipheriv(algorithm, key.secret, sealed.subarray(0, 16));
      return Buffer.concat([decipher.update(sealed.subarray(16)), decipher.final()]);
    },
  };
}

/** AES-GCM with a random 12-byte nonce in front and the tag behind, the storage location as authenticated data. */
export function aesgcm(key: EncryptionKey): ValueTransformer {
  const algorithm = aesAlgorithm('gcm', key);
  return {
    prefix: `k8s:enc:aesgcm:v1:${key.name}:`,
    seal(plain, authenticatedData) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv(algorithm, key.secret, nonce) as CipherGCM;
      cipher.setAAD(Buffer.from(authenticatedData));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    },
    open(sealed, authenticatedData) {
      const decipher = createDecipheriv(algorithm, key.secret, sealed.subarray(0, 12)) as DecipherGCM;
      decipher.setAAD(Buffer.from(authenticatedData));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    },
  };
}

/** XSalsa20-Poly1305 (NaCl secretbox) with a random 24-byte nonce in front, as kube's secretbox. */
export function secretbox(key: EncryptionKey): ValueTransformer {
  if (key.secret.length !== nacl.secretbox.keyLength) throw new Error(`key ${key.name}: a secretbox key is ${nacl.secretbox.keyLength} bytes, not ${key.secret.length}`);
  const secret = new Uint8Array(key.secret);
  return {
    prefix: `k8s:enc:secretbox:v1:${key.name}:`,
    seal(plain) {
      const nonce = randomBytes(nacl.secretbox.nonceLength);
      return Buffer.concat([nonce, nacl.secretbox(new Uint8Array(plain), new Uint8Array(nonce), secret)]);
    },
    open(sealed) {
      const nonce = sealed.subarray(0, nacl.secretbox.nonceLength);
      const plain = nacl.secretbox.open(new Uint8Array(sealed.subarray(nacl.secretbox.nonceLength)), new Uint8Array(nonce), secret);
      if (!plain) throw new Error('secretbox: the value does not open with this key');
      return Buffer.from(plain);
    },
  };
}

/** No encryption: values are stored as they are. */
export const identity: ValueTransformer = {
  prefix: '',
  seal: (plain) => plain,
  open: (sealed) => sealed,
};
