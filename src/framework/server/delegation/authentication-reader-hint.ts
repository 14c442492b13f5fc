/**
 * What to tell the operator when the core cluster refuses to show the server
 * its authentication ConfigMap: the RoleBinding that is missing, and the kubectl
 * command that creates it — the mistake that trips up most aggregated servers.
 */
import { AUTHENTICATION_CONFIGMAP, AUTHENTICATION_READER_ROLE } from '../../auth/authentication-configmap';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** A word the shell passes through as it is, quoted when it has to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `kubectl create rolebinding` subject flag and a binding name for a user. */
function bindingFor(username: string | undefined): { subject: string; bindingName: string } {
  if (username?.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace, name] = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    return { subject: `--serviceaccount=${namespace}:${name}`, bindingName: `${name}-authentication-reader` };
  }
  if (username) {
    // A RoleBinding name is a DNS subdomain; user names (system:..., e-mail addresses) often are not.
    const base = username.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'extension-server';
    return { subject: `--user=${shellWord(username)}`, bindingName: `${base}-authentication-reader` };
  }
  return { subject: '--serviceaccount=<namespace>:<name>', bindingName: '<name>-authentication-reader' };
}

/**
 * The start-up failure for a 403 on the ConfigMap. `username` is who the core
 * cluster took the server to be (undefined when it could not be told);
 * `refusal` is the cluster's own message.
 */
export function missingAuthenticationReaderMessage(username: string | undefined, refusal: string): string {
  const { namespace, name } = AUTHENTICATION_CONFIGMAP;
  const who = username ? `user "${username}"` : 'the user of --authentication-kubeconfig';
  const { subject, bindingName } = bindingFor(username);
  return [
    `cannot read configmap ${namespace}/${name} from the core cluster: forbidden: ${refusal}`,
    `${who} needs a RoleBinding in namespace ${namespace} to Role ${AUTHENTICATION_READER_ROLE}; create it with:`,
    `  kubectl create rolebinding ${bindingName} --namespace=${namespace} --role=${AUTHENTICATION_READER_ROLE} ${subject}`,
    'or start with --authentication-tolerate-lookup-failure to serve without the cluster\'s settings (no front proxy is trusted until they can be read)',
  ].join('\n');
}
