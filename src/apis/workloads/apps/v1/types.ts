/**
 * apps.example.com/v1: v1beta2's shape plus `podReplacementPolicy`, which only
 * this version has. rollbackTo is kept in an annotation, as in v1beta2.
 */
import { Field, KubeObject, Resource, LabelSelectorSpec } from '../../../../index';
import {
  APPS_GROUP,
  DEPLOYMENT_COLUMNS,
  DEPLOYMENT_SCALE,
  DeploymentStatus,
  DeploymentStrategy,
  PodTemplateSpec,
  type PodReplacementPolicy,
} from '../../types';

export class DeploymentSpecV1 {
  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'Desired pods (default 1).' })
  replicas?: number;

  @Field(() => LabelSelectorSpec, { description: 'The pods this deployment manages; must match the template labels; cannot change.' })
  selector?: LabelSelectorSpec;

  @Field(() => PodTemplateSpec)
  template?: PodTemplateSpec;

  @Field(() => DeploymentStrategy, { description: 'Default: RollingUpdate, 25% unavailable, 25% surge.' })
  strategy?: DeploymentStrategy;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0 })
  minReadySeconds?: number;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'Old revisions to keep (default 10).' })
  revisionHistoryLimit?: number;

  @Field(() => Boolean)
  paused?: boolean;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'Seconds before a stalled rollout is reported (default 600).' })
  progressDeadlineSeconds?: number;

  @Field(() => String, { description: 'When a replacement pod may start: TerminatingOrFailed (default behaviour) or Failed.' })
  podReplacementPolicy?: PodReplacementPolicy;
}

@Resource({
  group: APPS_GROUP,
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  scope: 'Namespaced',
  shortNames: ['deploy'],
  categories: ['all'],
  description: 'Replicated pods with rolling updates.',
  printerColumns: DEPLOYMENT_COLUMNS,
  subresources: { status: true, scale: DEPLOYMENT_SCALE },
})
export class DeploymentV1 extends KubeObject {
  @Field(() => DeploymentSpecV1)
  spec?: DeploymentSpecV1;

  @Field(() => DeploymentStatus)
  status?: DeploymentStatus;
}
