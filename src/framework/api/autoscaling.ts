/**
 * autoscaling/v1 Scale: what the scale subresource of any resource reads and
 * writes (kubectl scale, the HorizontalPodAutoscaler).
 */
import { Field } from '../runtime/field.decorator';
import { Kind } from '../runtime/kind.decorator';
import { KubeObject, type GroupVersionKind } from './meta';

export const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

export class ScaleSpec {
  @Field(() => Number, { type: 'integer', format: 'int32', description: 'The desired number of instances for the scaled object.' })
  replicas?: number;
}

export class ScaleStatus {
  @Field(() => Number, { type: 'integer', format: 'int32', required: true, description: 'The actual number of observed instances of the scaled object.' })
  replicas!: number;

  @Field(() => String, { description: 'The label selector of the instances, in the string form of kubectl -l.' })
  selector?: string;
}

@Kind(SCALE_GVK)
export class Scale extends KubeObject {
  @Field(() => ScaleSpec, { description: 'The desired state of the scaled object.' })
  spec?: ScaleSpec;

  @Field(() => ScaleStatus, { description: 'The current state of the scaled object; read-only.' })
  status?: ScaleStatus;
}
