export { decodeKubeProtobuf, encodeKubeProtobuf, KUBE_PROTOBUF_MEDIA_TYPE, KubeProtobufObject } from './codec';
export { UnsupportedProtobufKindError } from './errors';
