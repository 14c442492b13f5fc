/**
 * The internal (hub) Deployment of the workloads sample, and the parts every
 * version shares. One kind is served in three versions of two groups —
 * extensions.example.com/v1beta1, apps.example.com/v1beta2 and apps.example.com/v1 —
 * from one storage, the way Kubernetes served Deployments in extensions and apps.
 * The hub holds the union of what the versions can say: v1beta1's rollbackTo and
 * v1's podReplacementPolicy, so that every version round-trips through it.
 */
import { Condition, Field, Hub, KubeObject, ObjectMeta, type PrinterColumn, type ScaleSubresource, LabelSelectorSpec } from '../../index';

export const APPS_GROUP = 'apps.example.com';
export const EXTENSIONS_GROUP = 'extensions.example.com';

export const DEPLOYMENT_STRATEGY_TYPES = ['RollingUpdate', 'Recreate'] as const;
export type DeploymentStrategyType = (typeof DEPLOYMENT_STRATEGY_TYPES)[number];

/** When a replacement for a terminating pod may start (a v1-only field). */
export const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'] as const;
export type PodReplacementPolicy = (typeof POD_REPLACEMENT_POLICIES)[number];

// ---- shared by every version ----

export class ContainerPort {
  @Field(() => String, { description: 'An IANA service name, unique within the pod.' })
  name?: string;

  @Field(() => Number, { type: 'integer', format: 'int32', required: true, minimum: 1, maximum: 65535 })
  containerPort!: number;

  @Field(() => String, { enum: ['TCP', 'UDP', 'SCTP'] })
  protocol?: string;
}

export class Container {
  @Field(() => String, { required: true, description: 'Unique within the pod (a DNS label).' })
  name!: string;

  @Field(() => String, { required: true, description: 'The container image, e.g. nginx:1.27.' })
  image!: string;

  @Field(() => String, { array: true })
  args?: string[];

  @Field(() => ContainerPort, { array: true, patchMergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] })
  ports?: ContainerPort[];
}

export class PodSpec {
  @Field(() => Container, { array: true, patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] })
  containers?: Container[];
}

export class PodTemplateSpec {
  @Field(() => ObjectMeta, { description: 'Labels and annotations of the pods.' })
  metadata?: ObjectMeta;

  @Field(() => PodSpec)
  spec?: PodSpec;
}

export class RollingUpdateDeployment {
  @Field(() => String, { intOrString: true, description: 'Pods that may be unavailable during the update: a number or a percentage.' })
  maxUnavailable?: number | string;

  @Field(() => String, { intOrString: true, description: 'Pods that may be created above the desired number: a number or a percentage.' })
  maxSurge?: number | string;
}

export class DeploymentStrategy {
  @Field(() => String, { enum: DEPLOYMENT_STRATEGY_TYPES, description: 'RollingUpdate or Recreate.' })
  type?: DeploymentStrategyType;

  @Field(() => RollingUpdateDeployment, { description: 'Only with type RollingUpdate.' })
  rollingUpdate?: RollingUpdateDeployment;
}

export class RollbackConfig {
  @Field(() => Number, { type: 'integer', format: 'int64', description: 'The revision to roll back to; 0 is the last one.' })
  revision?: number;
}

export class DeploymentStatus {
  @Field(() => Number, { type: 'integer', format: 'int64', description: 'The generation the controller last acted on.' })
  observedGeneration?: number;

  @Field(() => Number, { type: 'integer', format: 'int32', description: 'Pods targeted by this deployment.' })
  replicas?: number;

  @Field(() => Number, { type: 'integer', format: 'int32', description: 'Pods with the current template.' })
  updatedReplicas?: number;

  @Field(() => Number, { type: 'integer', format: 'int32' })
  readyReplicas?: number;

  @Field(() => Number, { type: 'integer', format: 'int32', description: 'Pods ready for at least minReadySeconds.' })
  availableReplicas?: number;

  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge' })
  conditions?: Condition[];
}

/** The Table columns, the same in every version. */
export const DEPLOYMENT_COLUMNS: PrinterColumn[] = [
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', description: 'Desired pods.' },
  { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedReplicas' },
  { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
  { name: 'Strategy', type: 'string', jsonPath: '.spec.strategy.type', priority: 1 },
];

export const DEPLOYMENT_SCALE: ScaleSubresource = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

// ---- the hub ----

export class DeploymentSpec {
  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0 })
  replicas?: number;

  @Field(() => LabelSelectorSpec)
  selector?: LabelSelectorSpec;

  @Field(() => PodTemplateSpec)
  template?: PodTemplateSpec;

  @Field(() => DeploymentStrategy)
  strategy?: DeploymentStrategy;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0 })
  minReadySeconds?: number;

  /** v1beta1 calls it `historyLimit`. */
  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0 })
  revisionHistoryLimit?: number;

  @Field(() => Boolean)
  paused?: boolean;

  /** v1beta1 only. */
  @Field(() => RollbackConfig)
  rollbackTo?: RollbackConfig;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0 })
  progressDeadlineSeconds?: number;

  /** v1 only; older versions keep it in an annotation. */
  @Field(() => String)
  podReplacementPolicy?: PodReplacementPolicy;
}

@Hub({ group: APPS_GROUP, kind: 'Deployment' })
export class Deployment extends KubeObject {
  @Field(() => DeploymentSpec)
  spec?: DeploymentSpec;

  @Field(() => DeploymentStatus)
  status?: DeploymentStatus;
}
