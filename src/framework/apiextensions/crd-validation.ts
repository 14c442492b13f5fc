/**
 * Validation of CustomResourceDefinitions in the words of apiextensions-apiserver:
 * the name is `<plural>.<group>`, exactly one version is stored, every version has
 * a structural schema whose CEL rules compile, selectable fields that name
 * scalar fields of it, conversion is None or a reachable Webhook, and the names
 * the framework will register as classes and routes are well formed.
 */
import { isDNS1123Subdomain } from '../api';
import type { FieldError } from '../api/status';
import type { CustomResourceSchema } from './crd-schema';
import { validateSelectableFields } from './selectable-fields';
import { validateStructuralSchema } from './structural-schema';
import { validateValidationRules } from './validation-rules';
import type { CustomResourceConversion, CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from './types';

const RESOURCE_NAME = /^[a-z][a-z0-9]*$/;
const KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;
const VERSION_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];
const MAX_DEPRECATION_WARNING = 256;

/** The ConversionReview versions this server speaks to conversion webhooks. */
const SENT_REVIEW_VERSIONS = ['v1'];

export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const spec = crd.spec;
  if (!spec) return [{ type: 'FieldValueRequired', field: 'spec' }];
  const errors: FieldError[] = [];
  const expectedName = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata?.name !== expectedName) {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: crd.metadata?.name ?? '', detail: 'must be spec.names.plural+"."+spec.group' });
  }
  errors.push(...validateGroup(spec.group));
  errors.push(...validateNames(spec.names, 'spec.names'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push(
      spec.scope
        ? { type: 'FieldValueNotSupported', field: 'spec.scope', value: spec.scope, detail: 'supported values: "Cluster", "Namespaced"' }
        : { type: 'FieldValueRequired', field: 'spec.scope' },
    );
  }
  errors.push(...validateVersions(spec.versions ?? []));
  errors.push(...validateConversion(spec.conversion));
  if (spec.preserveUnknownFields === true) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.preserveUnknownFields',
      value: true,
      detail: 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    });
  }
  return errors;
}

/** What an update may not change, on top of everything a new CRD must satisfy. */
export function validateCustomResourceDefinitionUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const errors = validateCustomResourceDefinition(crd);
  if (old.spec && crd.spec && crd.spec.scope !== old.spec.scope) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.scope', value: crd.spec.scope, detail: 'field is immutable' });
  }
  errors.push(...validateStoredVersions(crd));
  return errors;
}

/** Every version ever stored must still be listed: objects may be stored in it. */
export function validateStoredVersions(crd: CustomResourceDefinition): FieldError[] {
  const listed = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  return (crd.status?.storedVersions ?? []).flatMap((version, i): FieldError[] =>
    listed.has(version) ? [] : [{ type: 'FieldValueInvalid', field: `status.storedVersions[${i}]`, value: version, detail: 'must appear in spec.versions' }],
  );
}

function validateGroup(group: string | undefined): FieldError[] {
  if (!group) return [{ type: 'FieldValueRequired', field: 'spec.group' }];
  const problems = isDNS1123Subdomain(group);
  if (problems.length > 0) return problems.map((detail) => ({ type: 'FieldValueInvalid' as const, field: 'spec.group', value: group, detail }));
  if (!group.includes('.')) return [{ type: 'FieldValueInvalid', field: 'spec.group', value: group, detail: 'should be a domain with at least one dot' }];
  return [];
}

function validateNames(names: CustomResourceDefinitionNames | undefined, path: string): FieldError[] {
  if (!names) return [{ type: 'FieldValueRequired', field: path }];
  const errors: FieldError[] = [];
  const resourceName = (value: string | undefined, field: string, required: boolean) => {
    if (value === undefined || value === '') {
      if (required) errors.push({ type: 'FieldValueRequired', field });
    } else if (!RESOURCE_NAME.test(value)) {
      errors.push({ type: 'FieldValueInvalid', field, value, detail: 'must be lower-case letters and digits, starting with a letter' });
    }
  };
  const kindName = (value: string | undefined, field: string, required: boolean) => {
    if (value === undefined || value === '') {
      if (required) errors.push({ type: 'FieldValueRequired', field });
    } else if (!KIND_NAME.test(value)) {
      errors.push({ type: 'FieldValueInvalid', field, value, detail: 'must be CamelCase letters and digits, starting with an upper-case letter' });
    }
  };
  resourceName(names.plural, `${path}.plural`, true);
  resourceName(names.singular, `${path}.singular`, false);
  (names.shortNames ?? []).forEach((name, i) => resourceName(name, `${path}.shortNames[${i}]`, true));
  (names.categories ?? []).forEach((name, i) => resourceName(name, `${path}.categories[${i}]`, true));
  kindName(names.kind, `${path}.kind`, true);
  kindName(names.listKind, `${path}.listKind`, false);
  if (names.kind && names.listKind === names.kind) {
    errors.push({ type: 'FieldValueInvalid', field: `${path}.listKind`, value: names.listKind, detail: 'kind and listKind may not be the same' });
  }
  return errors;
}

function validateVersions(versions: CustomResourceDefinitionVersion[]): FieldError[] {
  const errors: FieldError[] = [];
  if (versions.length === 0) return [{ type: 'FieldValueInvalid', field: 'spec.versions', detail: 'must have exactly one version marked as storage version' }];
  const seen = new Set<string>();
  versions.forEach((version, i) => {
    const path = `spec.versions[${i}]`;
    if (!version.name) errors.push({ type: 'FieldValueRequired', field: `${path}.name` });
    else if (!VERSION_NAME.test(version.name)) {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.name`, value: version.name, detail: 'a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character' });
    } else if (seen.has(version.name)) errors.push({ type: 'FieldValueDuplicate', field: `${path}.name`, value: version.name });
    seen.add(version.name);
    errors.push(...validateVersion(version, path));
  });
  const storage = versions.filter((v) => v.storage).length;
  if (storage !== 1) errors.push({ type: 'FieldValueInvalid', field: 'spec.versions', detail: 'must have exactly one version marked as storage version' });
  if (!versions.some((v) => v.served)) errors.push({ type: 'FieldValueInvalid', field: 'spec.versions', detail: 'must have at least one version marked as served' });
  return errors;
}

function validateVersion(version: CustomResourceDefinitionVersion, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const schema = version.schema?.openAPIV3Schema as CustomResourceSchema | undefined;
  const structural = validateStructuralSchema(schema, `${path}.schema.openAPIV3Schema`);
  errors.push(...structural);
  // Rules and selectable fields are read along the schema's structure: only a structural one has it.
  if (structural.length === 0) {
    errors.push(...validateValidationRules(schema, `${path}.schema.openAPIV3Schema`));
    errors.push(...validateSelectableFields(version.selectableFields ?? [], schema, `${path}.selectableFields`));
  }
  if (version.deprecationWarning !== undefined) {
    if (!version.deprecated) errors.push({ type: 'FieldValueInvalid', field: `${path}.deprecationWarning`, detail: 'can only be set for deprecated versions' });
    if (version.deprecationWarning.length > MAX_DEPRECATION_WARNING) {
      errors.push({ type: 'FieldValueTooLong', field: `${path}.deprecationWarning`, detail: `must have at most ${MAX_DEPRECATION_WARNING} characters` });
    }
  }
  const scale = version.subresources?.scale;
  if (scale) {
    if (!scale.specReplicasPath?.startsWith('.spec.')) {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.subresources.scale.specReplicasPath`, value: scale.specReplicasPath ?? '', detail: 'should be a json path under .spec' });
    }
    if (!scale.statusReplicasPath?.startsWith('.status.')) {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.subresources.scale.statusReplicasPath`, value: scale.statusReplicasPath ?? '', detail: 'should be a json path under .status' });
    }
    if (scale.labelSelectorPath !== undefined && !/^\.(spec|status)\./.test(scale.labelSelectorPath)) {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.subresources.scale.labelSelectorPath`, value: scale.labelSelectorPath, detail: 'should be a json path under either .spec or .status' });
    }
  }
  (version.additionalPrinterColumns ?? []).forEach((column, i) => {
    const at = `${path}.additionalPrinterColumns[${i}]`;
    if (!column.name) errors.push({ type: 'FieldValueRequired', field: `${at}.name` });
    if (!COLUMN_TYPES.includes(column.type)) {
      errors.push({ type: 'FieldValueNotSupported', field: `${at}.type`, value: column.type ?? '', detail: `supported values: ${COLUMN_TYPES.map((t) => JSON.stringify(t)).join(', ')}` });
    }
    if (!column.jsonPath) errors.push({ type: 'FieldValueRequired', field: `${at}.jsonPath` });
    else if (!column.jsonPath.startsWith('.')) errors.push({ type: 'FieldValueInvalid', field: `${at}.jsonPath`, value: column.jsonPath, detail: 'must be a simple json path starting with .' });
    if (column.priority !== undefined && column.priority < 0) errors.push({ type: 'FieldValueInvalid', field: `${at}.priority`, value: column.priority, detail: 'must be greater than or equal to 0' });
  });
  return errors;
}

function validateConversion(conversion: CustomResourceConversion | undefined): FieldError[] {
  if (!conversion) return [];
  const errors: FieldError[] = [];
  if (conversion.strategy !== 'None' && conversion.strategy !== 'Webhook') {
    errors.push({ type: 'FieldValueNotSupported', field: 'spec.conversion.strategy', value: conversion.strategy ?? '', detail: 'supported values: "None", "Webhook"' });
    return errors;
  }
  const webhook = conversion.webhook;
  if (conversion.strategy === 'None') {
    if (webhook) errors.push({ type: 'FieldValueForbidden', field: 'spec.conversion.webhook', detail: 'should not be set when strategy is not set to Webhook' });
    return errors;
  }
  if (!webhook) return [{ type: 'FieldValueRequired', field: 'spec.conversion.webhook', detail: 'must be set when strategy is set to Webhook' }];
  const config = webhook.clientConfig;
  if (!config) errors.push({ type: 'FieldValueRequired', field: 'spec.conversion.webhook.clientConfig', detail: 'required when strategy is set to Webhook' });
  else if (config.service) {
    errors.push({ type: 'FieldValueForbidden', field: 'spec.conversion.webhook.clientConfig.service', detail: 'this server calls conversion webhooks by url only' });
  } else if (!config.url) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.conversion.webhook.clientConfig', detail: 'exactly one of url or service is required' });
  } else {
    errors.push(...validateWebhookURL(config.url, 'spec.conversion.webhook.clientConfig.url'));
  }
  const reviewVersions = webhook.conversionReviewVersions ?? [];
  if (!reviewVersions.some((v) => SENT_REVIEW_VERSIONS.includes(v))) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.conversion.webhook.conversionReviewVersions',
      value: reviewVersions.join(','),
      detail: `must include at least one of ${SENT_REVIEW_VERSIONS.join(', ')}`,
    });
  }
  return errors;
}

function validateWebhookURL(raw: string, field: string): FieldError[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [{ type: 'FieldValueInvalid', field, value: raw, detail: 'url must be a valid URL' }];
  }
  if (url.protocol !== 'https:') return [{ type: 'FieldValueInvalid', field, value: raw, detail: "'https' is the only allowed URL scheme" }];
  if (url.username || url.password) return [{ type: 'FieldValueInvalid', field, value: raw, detail: 'user information is not permitted in the URL' }];
  if (url.hash || url.search) return [{ type: 'FieldValueInvalid', field, value: raw, detail: 'query parameters and fragments are not permitted' }];
  return [];
}
