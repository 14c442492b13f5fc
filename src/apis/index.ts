/** The sample API groups `apiserver-kit serve` offers (select with --groups). */
import type { APIGroupDefinition } from '../index';
import type { NginxControllerFlags } from '../controllers/nginx/flags';
import { federationGroup } from './federation/group';
import { nginxGroup } from './nginx/group';
import { workloadsGroups } from './workloads/group';

/** What the command line says about the sample groups, beyond the server's own flags. */
export interface SampleGroupOptions {
  nginxController?: NginxControllerFlags;
}

export function sampleGroups(options: SampleGroupOptions = {}): APIGroupDefinition[] {
  return [nginxGroup(options.nginxController), ...workloadsGroups(), federationGroup()];
}
