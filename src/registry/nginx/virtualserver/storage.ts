import type { GroupInstallContext, Store } from '../../../index';
import type { VirtualServer } from '../../../apis/nginx/types';
import { newNginxStore } from '../store';
import { virtualServerStrategy } from './strategy';

export function newVirtualServerStore(ctx: GroupInstallContext): Store<VirtualServer> {
  return newNginxStore(ctx, 'virtualservers', virtualServerStrategy);
}
