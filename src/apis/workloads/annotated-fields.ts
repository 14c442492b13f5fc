/**
 * Hub fields a version has no field for, kept in an annotation of that version,
 * as Kubernetes keeps them (apps/v1's `deprecated.deployment.rollback.to`): an
 * object read and written back through any version loses nothing another
 * version's client set. Conversion to a version writes the annotation from the
 * hub (and removes a stale one); conversion from it moves the value back into
 * the field. A value the field cannot hold stays an annotation, for validation
 * to report.
 */
import { ObjectMeta, type KubeObject } from '../../index';
import { DeploymentSpec, RollbackConfig, type Deployment, type PodReplacementPolicy } from './types';

export interface AnnotatedField {
  annotation: string;
  /** The field as annotation text; undefined when unset. */
  read(spec: DeploymentSpec): string | undefined;
  /** Sets the field from annotation text; false when the text is no value of the field. */
  write(spec: DeploymentSpec, text: string): boolean;
}

/** Where apps.example.com/v1beta2 and v1 keep v1beta1's `spec.rollbackTo.revision`. */
export const ROLLBACK_TO_ANNOTATION = 'apps.example.com/deprecated-rollback-to';

/** Where extensions.example.com/v1beta1 and apps.example.com/v1beta2 keep v1's `spec.podReplacementPolicy`. */
export const POD_REPLACEMENT_POLICY_ANNOTATION = 'apps.example.com/pod-replacement-policy';

export const ROLLBACK_TO: AnnotatedField = {
  annotation: ROLLBACK_TO_ANNOTATION,
  read: (spec) => (spec.rollbackTo === undefined ? undefined : String(spec.rollbackTo.revision ?? 0)),
  write(spec, text) {
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) return false;
    spec.rollbackTo = new RollbackConfig();
    spec.rollbackTo.revision = Number(text);
    return true;
  },
};

export const POD_REPLACEMENT_POLICY: AnnotatedField = {
  annotation: POD_REPLACEMENT_POLICY_ANNOTATION,
  read: (spec) => spec.podReplacementPolicy,
  write(spec, text) {
    // Any text: validation of the field names the values it supports.
    spec.podReplacementPolicy = text as PodReplacementPolicy;
    return true;
  },
};

/** Hub → version: each annotation states the hub's field, or is absent when the field is unset. */
export function fieldsToAnnotations(fields: readonly AnnotatedField[], hub: Deployment, versioned: KubeObject): void {
  const annotations = { ...versioned.metadata?.annotations };
  for (const field of fields) {
    delete annotations[field.annotation];
    const text = hub.spec ? field.read(hub.spec) : undefined;
    if (text !== undefined) annotations[field.annotation] = text;
  }
  setAnnotations(versioned, annotations);
}

/** Version → hub: each annotation the field can hold moves into the field. */
export function annotationsToFields(fields: readonly AnnotatedField[], versioned: KubeObject, hub: Deployment): void {
  const given = versioned.metadata?.annotations ?? {};
  const annotations = { ...hub.metadata?.annotations };
  for (const field of fields) {
    const text = given[field.annotation];
    if (text === undefined) continue;
    hub.spec ??= new DeploymentSpec();
    if (field.write(hub.spec, text)) delete annotations[field.annotation];
  }
  setAnnotations(hub, annotations);
}

function setAnnotations(obj: KubeObject, annotations: Record<string, string>): void {
  if (Object.keys(annotations).length > 0) {
    obj.metadata ??= new ObjectMeta();
    obj.metadata.annotations = annotations;
  } else if (obj.metadata) {
    delete obj.metadata.annotations;
  }
}
