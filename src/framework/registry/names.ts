/** Names the server makes up: generateName suffixes, as kube-apiserver makes them. */
import { randomInt } from 'node:crypto';

// Consonants and digits that cannot spell words or be confused with each other.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
const MAX_PREFIX_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return prefix.slice(0, MAX_PREFIX_LENGTH) + suffix;
}

/** The last timestamp made, for the second it names: many writes share a second. */
let lastTimestamp = { second: -1, text: '' };

/** RFC 3339 with second precision, as metav1.Time marshals. */
export function nowTimestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastTimestamp.second) lastTimestamp = { second, text: new Date(second * 1000).toISOString().replace('.000Z', 'Z') };
  return lastTimestamp.text;
}
