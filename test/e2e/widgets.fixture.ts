/**
 * A resource for the end-to-end tests: spec with nested lists, a status
 * subresource, printer columns, a short name and a category.
 */
import { Condition, Field, Hub, KubeObject, Resource } from '../../src/index';

export class WidgetPart {
  @Field(() => String, { required: true })
  name!: string;

  @Field(() => String)
  value?: string;
}

export class WidgetSpec {
  @Field(() => Number, { type: 'integer', minimum: 0, description: 'How big the widget is.' })
  size?: number;

  @Field(() => String, { enum: ['red', 'green', 'blue'] })
  color?: string;

  @Field(() => WidgetPart, { array: true, patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] })
  parts?: WidgetPart[];
}

export class WidgetStatus {
  @Field(() => String)
  phase?: string;

  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'] })
  conditions?: Condition[];
}

@Hub({ group: 'e2e.example.com', kind: 'Widget' })
export class Widget extends KubeObject {
  @Field(() => WidgetSpec)
  spec?: WidgetSpec;

  @Field(() => WidgetStatus)
  status?: WidgetStatus;
}

@Resource({
  group: 'e2e.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  scope: 'Namespaced',
  shortNames: ['wd'],
  categories: ['all'],
  subresources: { status: true },
  printerColumns: [
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Color', type: 'string', jsonPath: '.spec.color' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', priority: 1 },
  ],
})
export class WidgetV1 extends Widget {}
