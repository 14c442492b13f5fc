/** The 404 of a path no route serves, worded as kube-apiserver words it. */
import { StatusError } from '../api/status';

export function newNotFoundPath(): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}
