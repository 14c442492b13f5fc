import assert from 'node:assert/strict';
import { missingAuthenticationReaderMessage } from '../../../../src/framework/server/delegation/authentication-reader-hint';

describe('server/delegation: the missing authentication-reader RoleBinding message', () => {
  it('names the service account and the command that binds it', () => {
    const message = missingAuthenticationReaderMessage('system:serviceaccount:nginx-system:nginx-api', 'configmaps "extension-apiserver-authentication" is forbidden');
    assert.match(message, /^cannot read configmap kube-system\/extension-apiserver-authentication from the core cluster: forbidden: configmaps "extension-apiserver-authentication" is forbidden$/m);
    assert.match(message, /user "system:serviceaccount:nginx-system:nginx-api" needs a RoleBinding in namespace kube-system to Role extension-apiserver-authentication-reader/);
    assert.match(message, /^ {2}kubectl create rolebinding nginx-api-authentication-reader --namespace=kube-system --role=extension-apiserver-authentication-reader --serviceaccount=nginx-system:nginx-api$/m);
    assert.match(message, /--authentication-tolerate-lookup-failure/);
  });

  it('binds a plain user by name, with a binding name kube accepts', () => {
    const message = missingAuthenticationReaderMessage('system:Extension Server', 'forbidden');
    assert.match(message, /kubectl create rolebinding system-extension-server-authentication-reader --namespace=kube-system --role=extension-apiserver-authentication-reader --user='system:Extension Server'$/m);
  });

  it('leaves the subject to fill in when the cluster did not say who the server is', () => {
    const message = missingAuthenticationReaderMessage(undefined, 'forbidden');
    assert.match(message, /the user of --authentication-kubeconfig needs a RoleBinding/);
    assert.match(message, /--serviceaccount=<namespace>:<name>$/m);
  });
});
