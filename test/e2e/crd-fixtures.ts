/**
 * CustomResourceDefinitions shaped like widely used ones, written for these tests:
 * a kubeflow TFJob-like training job (a map of replica specs, pod templates kept
 * as they are, defaults, a status and a scale subresource) and a cert-manager
 * Certificate-like resource (enums, patterns, an int-or-string field, a set) in
 * two versions converted by a webhook.
 */
import YAML from 'yaml';

const TFJOB_SCHEMA = {
  type: 'object',
  description: 'TFJob represents a distributed TensorFlow training job.',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['tfReplicaSpecs'],
      properties: {
        runPolicy: {
          type: 'object',
          default: {},
          properties: {
            cleanPodPolicy: { type: 'string', enum: ['All', 'Running', 'None'], default: 'Running' },
            backoffLimit: { type: 'integer', format: 'int32', minimum: 0 },
            ttlSecondsAfterFinished: { type: 'integer', format: 'int32' },
          },
        },
        successPolicy: { type: 'string' },
        tfReplicaSpecs: {
          type: 'object',
          description: 'A map of replica type (Chief, PS, Worker, Evaluator) to its spec.',
          additionalProperties: {
            type: 'object',
            properties: {
              replicas: { type: 'integer', format: 'int32', minimum: 0, default: 1 },
              restartPolicy: { type: 'string', enum: ['Always', 'OnFailure', 'Never', 'ExitCode'], default: 'Never' },
              template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    },
    status: {
      type: 'object',
      properties: {
        conditions: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['type'],
          items: {
            type: 'object',
            required: ['type', 'status'],
            properties: {
              type: { type: 'string' },
              status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
              reason: { type: 'string' },
              message: { type: 'string' },
              lastTransitionTime: { type: 'string', format: 'date-time' },
            },
          },
        },
        replicaStatuses: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { active: { type: 'integer' }, succeeded: { type: 'integer' }, failed: { type: 'integer' } } },
        },
        startTime: { type: 'string', format: 'date-time' },
      },
    },
  },
};

export const TFJOB_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'tfjobs.kubeflow.org' },
  spec: {
    group: 'kubeflow.org',
    names: { kind: 'TFJob', plural: 'tfjobs', singular: 'tfjob', shortNames: ['tfj'], categories: ['all', 'kubeflow'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: TFJOB_SCHEMA },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.tfReplicaSpecs.Worker.replicas', statusReplicasPath: '.status.replicaStatuses.Worker.active' } },
        additionalPrinterColumns: [
          { name: 'Workers', type: 'integer', jsonPath: '.spec.tfReplicaSpecs.Worker.replicas' },
          { name: 'State', type: 'string', jsonPath: '.status.conditions[?(@.status=="True")].type' },
        ],
      },
    ],
  },
};

/** A TFJob with a chief and workers, pod templates in full. */
export function tfJob(name: string, workers = 2): Record<string, unknown> {
  const template = (role: string) => ({
    metadata: { annotations: { 'sidecar.istio.io/inject': 'false' } },
    spec: {
      containers: [{ name: 'tensorflow', image: 'kubeflow/tf-dist-mnist-test:latest', args: ['--role', role], resources: { limits: { 'nvidia.com/gpu': 1 } } }],
      nodeSelector: { accelerator: 'gpu' },
    },
  });
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'TFJob',
    metadata: { name },
    spec: {
      tfReplicaSpecs: {
        Chief: { replicas: 1, restartPolicy: 'OnFailure', template: template('chief') },
        Worker: { replicas: workers, template: template('worker') },
      },
    },
  };
}

const ISSUER_REF = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['Issuer', 'ClusterIssuer'], default: 'Issuer' }, group: { type: 'string' } },
};
const DNS_NAME = { type: 'string', pattern: '^(\\*\\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$' };
const CERTIFICATE_STATUS = {
  type: 'object',
  properties: {
    conditions: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
      items: { type: 'object', required: ['type', 'status'], properties: { type: { type: 'string' }, status: { type: 'string', enum: ['True', 'False', 'Unknown'] }, message: { type: 'string' } } },
    },
    notAfter: { type: 'string', format: 'date-time' },
  },
};

function certificateSchema(hostsField: 'dnsNames' | 'hosts') {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        required: ['secretName', 'issuerRef'],
        properties: {
          commonName: { type: 'string', maxLength: 64 },
          [hostsField]: { type: 'array', items: DNS_NAME, 'x-kubernetes-list-type': 'set' },
          secretName: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
          duration: { type: 'string', pattern: '^([0-9]+h)?([0-9]+m)?([0-9]+s)?$' },
          renewBefore: { 'x-kubernetes-int-or-string': true, description: 'A duration like "360h", or seconds.' },
          issuerRef: ISSUER_REF,
          privateKey: {
            type: 'object',
            properties: {
              algorithm: { type: 'string', enum: ['RSA', 'ECDSA', 'Ed25519'], default: 'RSA' },
              size: { type: 'integer', minimum: 256, maximum: 8192 },
              rotationPolicy: { type: 'string', enum: ['Never', 'Always'] },
            },
          },
          usages: { type: 'array', items: { type: 'string', enum: ['digital signature', 'key encipherment', 'server auth', 'client auth'] } },
        },
      },
      status: CERTIFICATE_STATUS,
    },
  };
}

/** Certificates: v1 stores them, v1alpha2 (deprecated) calls dnsNames `hosts`; a webhook converts. */
export function certificateCRD(webhook: { url: string; caBundle: string }) {
  const columns = [
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
  ];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'certificates.certs.example.io' },
    spec: {
      group: 'certs.example.io',
      names: { kind: 'Certificate', plural: 'certificates', singular: 'certificate', shortNames: ['cert', 'certs'] },
      scope: 'Namespaced',
      conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: webhook.url, caBundle: webhook.caBundle } } },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: certificateSchema('dnsNames') }, subresources: { status: {} }, additionalPrinterColumns: columns },
        { name: 'v1alpha2', served: true, storage: false, deprecated: true, schema: { openAPIV3Schema: certificateSchema('hosts') }, subresources: { status: {} }, additionalPrinterColumns: columns },
      ],
    },
  };
}

export function certificate(name: string, spec: Record<string, unknown>, version: 'v1' | 'v1alpha2' = 'v1'): Record<string, unknown> {
  return { apiVersion: `certs.example.io/${version}`, kind: 'Certificate', metadata: { name }, spec };
}

export const yaml = (...docs: unknown[]): string => docs.map((d) => YAML.stringify(d)).join('---\n');
