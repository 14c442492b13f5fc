import type { GroupInstallContext, Store } from '../../../index';
import type { Endpoint } from '../../../apis/nginx/types';
import { newNginxStore } from '../store';
import { endpointStrategy } from './strategy';

export function newEndpointStore(ctx: GroupInstallContext): Store<Endpoint> {
  return newNginxStore(ctx, 'endpoints', endpointStrategy);
}
