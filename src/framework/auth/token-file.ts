/**
 * Static bearer tokens from a CSV file (`--token-auth-file`), in kube-apiserver's
 * format: `token,user,uid,"group1,group2"`; further columns are ignored.
 */
import { readFileSync } from 'node:fs';
import type { UserInfo } from '../registry/context';
import type { TokenAuthenticator } from './bearer-token';
import { parseCSV } from './csv';

/**
 * The users of a token file by token. Rows without a token are skipped and a
 * repeated token takes the later row, each with a warning; a row of fewer than
 * three columns is an error.
 */
export function parseTokenFile(text: string, file: string, warn: (msg: string) => void = () => undefined): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  let records;
  try {
    records = parseCSV(text);
  } catch (err) {
    throw new Error(`token file '${file}': ${(err as Error).message}`);
  }
  for (const { line, fields } of records) {
    if (fields.length < 3) throw new Error(`token file '${file}' must have at least 3 columns (token, user name, user uid), found ${fields.length}`);
    const [token, username, uid, groups] = fields;
    if (token === '') {
      warn(`empty token has been found in token file '${file}', record number '${line}'`);
      continue;
    }
    if (users.has(token)) warn(`duplicate token has been found in token file '${file}', record number '${line}'`);
    const user: UserInfo = { username, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] };
    users.set(token, user);
  }
  return users;
}

export class TokenFileAuthenticator implements TokenAuthenticator {
  readonly name = 'token-file';

  constructor(private readonly users: ReadonlyMap<string, UserInfo>) {}

  static fromFile(file: string, warn?: (msg: string) => void): TokenFileAuthenticator {
    return new TokenFileAuthenticator(parseTokenFile(readFileSync(file, 'utf8'), file, warn));
  }

  authenticateToken(token: string): UserInfo | undefined {
    const user = this.users.get(token);
    return user && { ...user, groups: [...user.groups] };
  }
}
