/**
 * A resource for the end-to-end tests: spec with nested lists, status and scale
 * subresources, printer columns, a short name, categories and descriptions.
 */
import { Condition, Field, Hub, KubeObject, Resource } from '../../src/index';

export class WidgetPart {
  @Field(() => String, { required: true, description: 'Identifies the part within the widget.' })
  name!: string;

  @Field(() => String)
  value?: string;
}

export class WidgetSpec {
  @Field(() => Number, { type: 'integer', minimum: 0, description: 'How big the widget is.' })
  size?: number;

  @Field(() => String, { enum: ['red', 'green', 'blue'], description: 'What colour the widget is painted.' })
  color?: string;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 0, description: 'How many copies of the widget are wanted.' })
  replicas?: number;

  @Field(() => WidgetPart, {
    array: true,
    patchMergeKey: 'name',
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: ['name'],
    description: 'The parts the widget is made of, merged by name.',
  })
  parts?: WidgetPart[];
}

export class WidgetStatus {
  @Field(() => String, { description: 'Where the widget is in its life.' })
  phase?: string;

  @Field(() => Number, { type: 'integer', format: 'int32', description: 'How many copies of the widget exist.' })
  replicas?: number;

  @Field(() => String, { description: 'The label selector of the copies.' })
  selector?: string;

  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], description: 'The latest observations of the widget.' })
  conditions?: Condition[];
}

@Hub({ group: 'e2e.example.com', kind: 'Widget' })
export class Widget extends KubeObject {
  @Field(() => WidgetSpec, { description: 'What the widget should be.' })
  spec?: WidgetSpec;

  @Field(() => WidgetStatus, { description: 'What the widget is.' })
  status?: WidgetStatus;
}

@Resource({
  group: 'e2e.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  scope: 'Namespaced',
  shortNames: ['wd'],
  categories: ['all', 'toys'],
  description: 'A Widget is a small thing made of parts.',
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
  printerColumns: [
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Color', type: 'string', jsonPath: '.spec.color' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', priority: 1 },
  ],
})
export class WidgetV1 extends Widget {}
