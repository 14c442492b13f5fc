import assert from 'node:assert/strict';
import { acceptNames } from '../../../src/framework/apiextensions/names';
import { crd } from './fixtures';

const accepted = (plural: string, kind: string, shortNames: string[] = []) => ({
  acceptedNames: { plural, singular: plural.replace(/s$/, ''), kind, listKind: `${kind}List`, shortNames },
  conditions: [{ type: 'Established', status: 'True' }],
});

describe('apiextensions: accepted names', () => {
  it('accepts free names and establishes the CRD', () => {
    const result = acceptNames(crd(), [], false);
    assert.deepEqual({ ...result.acceptedNames }, { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: undefined, categories: undefined });
    assert.deepEqual(result.namesAccepted, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
    assert.deepEqual(result.established, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
  });

  it('refuses a plural, a short name or a kind another CRD of the group uses, and keeps what was accepted before', () => {
    const other = crd('toys.example.com', { names: { kind: 'Gadget', plural: 'gadgets' } }, accepted('gadgets', 'Gadget', ['wd']));
    // Another CRD's singular is taken as much as its plural.
    const plural = acceptNames(crd('toys.example.com', { names: { kind: 'Widget', plural: 'gadget' } }), [other], false);
    assert.deepEqual(plural.namesAccepted, { type: 'NamesAccepted', status: 'False', reason: 'PluralConflict', message: '"gadget" is already in use' });
    assert.equal(plural.acceptedNames.plural, '');
    assert.deepEqual(plural.established, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' });

    const short = acceptNames(crd('toys.example.com', { names: { kind: 'Widget', plural: 'widgets', shortNames: ['wd'] } }), [other], false);
    assert.equal(short.namesAccepted.reason, 'ShortNamesConflict');
    const kind = acceptNames(crd('toys.example.com', { names: { kind: 'Gadget', plural: 'widgets', singular: 'widget' } }), [other], false);
    assert.equal(kind.namesAccepted.reason, 'KindConflict');
  });

  it('ignores other groups, and lets a CRD keep the names it was already accepted with', () => {
    const elsewhere = crd('other.example.com', {}, accepted('widgets', 'Widget'));
    assert.equal(acceptNames(crd(), [elsewhere], false).namesAccepted.status, 'True');
    const established = crd('toys.example.com', {}, accepted('widgets', 'Widget'));
    const clash = crd('toys.example.com', { names: { kind: 'Gizmo', plural: 'gizmos' } }, accepted('widgets', 'Gizmo'));
    const result = acceptNames(established, [clash], false);
    assert.equal(result.namesAccepted.status, 'True');
    assert.equal(result.established, undefined, 'an established CRD stays established');
  });

  it('refuses every name in a group the server serves with its own types', () => {
    const result = acceptNames(crd('apps.example.com'), [], true);
    assert.equal(result.namesAccepted.status, 'False');
    assert.equal(result.namesAccepted.reason, 'GroupConflict');
    assert.equal(result.established?.status, 'False');
  });
});
