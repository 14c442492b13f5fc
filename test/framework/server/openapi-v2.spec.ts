import assert from 'node:assert/strict';
import { openAPIV2Document } from '../../../src/framework/server/openapi-v2';

const V3 = {
  openapi: '3.0.0',
  paths: {
    '/apis/g.example.com/v1/things/{name}': {
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      patch: {
        operationId: 'patchThing',
        'x-kubernetes-action': 'patch',
        requestBody: { required: true, content: { 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/strategic-merge-patch+json': { schema: { type: 'object' } } } },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/com.example.g.v1.Thing' } } } } },
      },
    },
  },
  components: {
    schemas: {
      'com.example.g.v1.Thing': {
        type: 'object',
        properties: { spec: { type: 'object', nullable: true, properties: { owner: { $ref: '#/components/schemas/com.example.g.v1.Owner' } } } },
      },
    },
  },
};

describe('server/openapi-v2', () => {
  it('turns request bodies into a body parameter and consumes, responses into produces and a schema', () => {
    const doc = openAPIV2Document([V3], 'v1.33.0');
    assert.deepEqual(doc.info, { title: 'apiserver-kit', version: 'v1.33.0' });
    const item = (doc.paths as Record<string, Record<string, unknown>>)['/apis/g.example.com/v1/things/{name}'];
    assert.deepEqual(item.parameters, [{ name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true }]);
    assert.deepEqual(item.patch, {
      operationId: 'patchThing',
      'x-kubernetes-action': 'patch',
      consumes: ['application/merge-patch+json', 'application/strategic-merge-patch+json'],
      produces: ['application/json'],
      schemes: ['https'],
      parameters: [
        { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
        { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true },
      ],
      responses: { 200: { description: 'OK', schema: { $ref: '#/definitions/com.example.g.v1.Thing' } } },
    });
  });

  it('moves schemas to definitions, pointing their refs there and dropping nullable', () => {
    const doc = openAPIV2Document([V3], 'v1.33.0');
    assert.deepEqual((doc.definitions as Record<string, unknown>)['com.example.g.v1.Thing'], {
      type: 'object',
      properties: { spec: { type: 'object', properties: { owner: { $ref: '#/definitions/com.example.g.v1.Owner' } } } },
    });
  });
});
