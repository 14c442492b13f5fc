/**
 * apps.example.com/v1beta2: the selector is required and immutable, the history
 * limit is `revisionHistoryLimit`, rollbackTo is gone (kept in an annotation)
 * and v1's podReplacementPolicy is not here yet (kept in an annotation too).
 */
import { Field, KubeObject, Resource, LabelSelectorSpec } from '../../../../index';
import { APPS_GROUP, DEPLOYMENT_COLUMNS, DEPLOYMENT_SCALE, DeploymentStatus, DeploymentStrategy, PodTemplateSpec } from '../../types';

export class DeploymentSpecV1beta2 {
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
}

@Resource({
  group: APPS_GROUP,
  version: 'v1beta2',
  kind: 'Deployment',
  plural: 'deployments',
  scope: 'Namespaced',
  shortNames: ['deploy'],
  categories: ['all'],
  description: 'Replicated pods with rolling updates.',
  printerColumns: DEPLOYMENT_COLUMNS,
  subresources: { status: true, scale: DEPLOYMENT_SCALE },
})
export class DeploymentV1beta2 extends KubeObject {
  @Field(() => DeploymentSpecV1beta2)
  spec?: DeploymentSpecV1beta2;

  @Field(() => DeploymentStatus)
  status?: DeploymentStatus;
}
