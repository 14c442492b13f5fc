import assert from 'node:assert/strict';
import { negotiateDiscovery } from '../../../src/framework/server/discovery-aggregated';
import { matchesETag } from '../../../src/framework/server/etag';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

describe('server/discovery-aggregated', () => {
  describe('negotiateDiscovery', () => {
    it('takes the first acceptable clause: aggregated v2, v2beta1 or legacy JSON', () => {
      assert.equal(negotiateDiscovery(`${V2},${V2BETA1},application/json`), 'v2');
      assert.equal(negotiateDiscovery(`${V2BETA1},application/json`), 'v2beta1');
      assert.equal(negotiateDiscovery('application/json, */*'), 'legacy');
      assert.equal(negotiateDiscovery(undefined), 'legacy');
    });

    it('honours q-values and parameter order, and skips clauses for other kinds', () => {
      assert.equal(negotiateDiscovery(`${V2};q=0.5,application/json`), 'legacy');
      assert.equal(negotiateDiscovery('application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io'), 'v2');
      assert.equal(negotiateDiscovery('application/json;as=Table;g=meta.k8s.io;v=v1,application/json'), 'legacy');
      assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), undefined);
      assert.equal(negotiateDiscovery('application/yaml'), undefined, 'left to the legacy negotiation, which speaks YAML');
    });
  });

  describe('matchesETag', () => {
    it('matches the tag itself, its weak form, a list containing it and *', () => {
      assert.equal(matchesETag('"abc"', '"abc"'), true);
      assert.equal(matchesETag('W/"abc"', '"abc"'), true);
      assert.equal(matchesETag('"x", "abc"', '"abc"'), true);
      assert.equal(matchesETag('*', '"abc"'), true);
      assert.equal(matchesETag('"abd"', '"abc"'), false);
      assert.equal(matchesETag(undefined, '"abc"'), false);
    });
  });
});
