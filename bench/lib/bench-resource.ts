/** The resource the benchmarks create, read, list and watch: ~1 KiB objects. */
import { Field, Hub, KubeObject, Resource } from '../../src/index';

export const BENCH_GROUP = 'bench.example.com';
export const ITEMS_PATH = `/apis/${BENCH_GROUP}/v1/namespaces/default/items`;

export class ItemSpec {
  @Field(() => String)
  data?: string;

  @Field(() => Number, { type: 'integer' })
  counter?: number;
}

@Hub({ group: BENCH_GROUP, kind: 'Item' })
export class Item extends KubeObject {
  @Field(() => ItemSpec)
  spec?: ItemSpec;
}

@Resource({ group: BENCH_GROUP, version: 'v1', kind: 'Item', plural: 'items', scope: 'Namespaced' })
export class ItemV1 extends Item {}

const PAYLOAD = 'x'.repeat(900);

/** A 1 KiB object as a client sends it. */
export function itemBody(name: string, counter = 0): string {
  return JSON.stringify({ apiVersion: `${BENCH_GROUP}/v1`, kind: 'Item', metadata: { name, namespace: 'default' }, spec: { data: PAYLOAD, counter } });
}
