import assert from 'node:assert/strict';
import { CREATED_AT_COLUMN, type ComputedPrinterColumn } from '../../../src/framework/runtime';
import { TableConvertor } from '../../../src/framework/endpoints/table';

interface Box {
  metadata: { name: string; creationTimestamp: string };
  spec?: { items?: string[]; color?: string };
}

// Three days and a half hour ago: an AGE of 3d however slowly the test runs.
const created = new Date(Date.now() - (72 * 60 + 30) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const box = (name: string, spec: Box['spec']): Box => ({ metadata: { name, creationTimestamp: created }, spec });
const convert = (table: TableConvertor, objects: Box[]) =>
  table.convert(objects as unknown as Record<string, unknown>[], { apiVersion: 'meta.k8s.io/v1', includeObject: 'None' });

const itemCount: ComputedPrinterColumn<Box> = {
  name: 'Items',
  type: 'integer',
  description: 'How many items the box holds.',
  priority: 1,
  cell: (b) => b.spec?.items?.length ?? 0,
};

describe('endpoints/table', () => {
  it('puts computed and JSONPath columns between NAME and AGE, with their definitions', () => {
    const table = convert(new TableConvertor([{ name: 'Color', type: 'string', jsonPath: '.spec.color' }, itemCount]), [
      box('full', { items: ['a', 'b'], color: 'red' }),
      box('empty', {}),
    ]);
    assert.deepEqual(
      table.columnDefinitions?.map((c) => [c.name, c.type, c.priority, c.description]),
      [
        ['Name', 'string', 0, 'Name must be unique within a namespace.'],
        ['Color', 'string', 0, ''],
        ['Items', 'integer', 1, 'How many items the box holds.'],
        ['Age', 'date', 0, 'CreationTimestamp is the time the object was created.'],
      ],
    );
    assert.deepEqual(
      table.rows.map((r) => r.cells),
      [
        ['full', 'red', 2, '3d'],
        ['empty', null, 0, '3d'],
      ],
    );
  });

  it('shows CREATED AT in place of AGE when a resource declares it, as kube\'s default tables do', () => {
    const table = convert(new TableConvertor([CREATED_AT_COLUMN]), [box('role', {})]);
    assert.deepEqual(table.columnDefinitions?.map((c) => `${c.name}:${c.type}`), ['Name:string', 'Created At:date']);
    assert.deepEqual(table.rows[0].cells, ['role', created]);
  });
});
