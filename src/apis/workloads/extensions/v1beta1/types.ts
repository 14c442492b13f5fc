/**
 * extensions.example.com/v1beta1: the first Deployment. Its selector may be left
 * out (it defaults to the template's labels) and changed later; it can ask for a
 * rollback (`rollbackTo`); the revision history limit is called `historyLimit`.
 */
import { Field, KubeObject, Resource, LabelSelectorSpec } from '../../../../index';
import {
  DEPLOYMENT_COLUMNS,
  DEPLOYMENT_SCALE,
  Deployment,
  DeploymentStatus,
  DeploymentStrategy,
  EXTENSIONS_GROUP,
  PodTemplateSpec,
  RollbackConfig,
} from '../../types';

export class DeploymentSpecV1beta1 {
  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'Desired pods (default 1).' })
  replicas?: number;

  @Field(() => LabelSelectorSpec, { description: 'The pods this deployment manages; default: the template labels. May change.' })
  selector?: LabelSelectorSpec;

  @Field(() => PodTemplateSpec)
  template?: PodTemplateSpec;

  @Field(() => DeploymentStrategy, { description: 'Default: RollingUpdate, 1 unavailable, 1 surge.' })
  strategy?: DeploymentStrategy;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0 })
  minReadySeconds?: number;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'Old revisions to keep (default: all of them).' })
  historyLimit?: number;

  @Field(() => Boolean)
  paused?: boolean;

  @Field(() => RollbackConfig, { description: 'A rollback the controller should perform.' })
  rollbackTo?: RollbackConfig;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'Seconds before a stalled rollout is reported (default: never).' })
  progressDeadlineSeconds?: number;
}

@Resource({
  group: EXTENSIONS_GROUP,
  version: 'v1beta1',
  kind: 'Deployment',
  plural: 'deployments',
  scope: 'Namespaced',
  shortNames: ['deploy'],
  categories: ['all'],
  description: 'Replicated pods with rolling updates (the extensions version).',
  printerColumns: DEPLOYMENT_COLUMNS,
  subresources: { status: true, scale: DEPLOYMENT_SCALE },
  hub: () => Deployment,
})
export class DeploymentV1beta1 extends KubeObject {
  @Field(() => DeploymentSpecV1beta1)
  spec?: DeploymentSpecV1beta1;

  @Field(() => DeploymentStatus)
  status?: DeploymentStatus;
}
