/**
 * The APIGroupInfos of federation.example.com and types.federation.example.com:
 * their types in the server's Scheme, one Store per resource, and the installer
 * that serves a Federated<Kind> for each FederatedTypeConfig once the server runs.
 */
import type { APIGroupInfo, GroupInstallContext, KubeObject, RESTStrategy, Store } from '../../index';
import { install } from '../../apis/federation/install';
import type { FederatedObject } from '../../apis/federation/federated-types';
import { GROUP, TYPES_GROUP, VERSION, type FederatedTypeConfig } from '../../apis/federation/types';
import { clusterCredentialStrategy } from './clustercredential/strategy';
import { federatedNamespaceStrategy } from './federated/strategy';
import { federatedTypeConfigStrategy } from './federatedtypeconfig/strategy';
import { FederatedTypeInstaller } from './federatedtypeconfig/type-installer';
import { memberClusterStrategy } from './membercluster/strategy';
import { overridePolicyStrategy, propagationPolicyStrategy } from './policy/strategy';
import { newFederationStore } from './store';

export interface InstalledFederation {
  groups: APIGroupInfo[];
  /** Run once the server serves: it installs the federated types the configurations ask for. */
  typeInstaller: FederatedTypeInstaller;
}

export function installFederationGroups(ctx: GroupInstallContext): InstalledFederation {
  install(ctx.scheme);
  const store = <T extends KubeObject>(plural: string, strategy?: RESTStrategy<T>) => newFederationStore<T>(ctx, GROUP, plural, strategy);
  const typeConfigs = newFederationStore<FederatedTypeConfig>(ctx, GROUP, 'federatedtypeconfigs', federatedTypeConfigStrategy);
  const stores: Record<string, Store> = {
    memberclusters: store('memberclusters', memberClusterStrategy),
    clustercredentials: store('clustercredentials', clusterCredentialStrategy),
    federatedtypeconfigs: typeConfigs,
    leases: store('leases'),
    propagationpolicies: store('propagationpolicies', propagationPolicyStrategy(true)),
    clusterpropagationpolicies: store('clusterpropagationpolicies', propagationPolicyStrategy(false)),
    overridepolicies: store('overridepolicies', overridePolicyStrategy(true)),
    clusteroverridepolicies: store('clusteroverridepolicies', overridePolicyStrategy(false)),
    resourcebindings: store('resourcebindings'),
    clusterresourcebindings: store('clusterresourcebindings'),
  };
  const resources: Record<string, Store> = {};
  for (const [plural, s] of Object.entries(stores)) {
    resources[plural] = s;
    if (s.hasStatus) resources[`${plural}/status`] = s;
  }
  const federatedNamespaces = newFederationStore<FederatedObject>(ctx, TYPES_GROUP, 'federatednamespaces', federatedNamespaceStrategy);
  const typeInstaller = new FederatedTypeInstaller(ctx, typeConfigs, federatedNamespaces, ctx.logger.child({ component: 'federated-types' }));
  return { groups: [{ group: GROUP, scheme: ctx.scheme, versionedResources: { [VERSION]: resources } }, typeInstaller.initialGroup()], typeInstaller };
}
