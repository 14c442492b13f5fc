import { StatusError } from '../../api/status';

/**
 * A protobuf body of a kind the codec has no schema for. It is a 415
 * UnsupportedMediaType: the client may send the same object as JSON.
 */
export class UnsupportedProtobufKindError extends StatusError {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: `${kind} in version ${JSON.stringify(apiVersion)} cannot be read from application/vnd.kubernetes.protobuf; send it as application/json`,
    });
    this.name = 'UnsupportedProtobufKindError';
  }
}
