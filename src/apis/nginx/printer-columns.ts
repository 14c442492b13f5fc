/** The Table columns of each kind, the same in every version. */
import type { PrinterColumn } from '../../index';

const programmed: PrinterColumn[] = [
  { name: 'Programmed', type: 'string', jsonPath: '.status.conditions[?(@.type=="Programmed")].status', description: 'Whether nginx runs this configuration.' },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Programmed")].reason', description: 'Why (not) programmed.' },
];

export const UPSTREAM_COLUMNS: PrinterColumn[] = [
  { name: 'Method', type: 'string', jsonPath: '.spec.loadBalancing.method' },
  { name: 'Servers', type: 'integer', jsonPath: '.status.serverCount', description: 'Servers nginx is given.' },
  ...programmed,
];

export const ENDPOINT_COLUMNS: PrinterColumn[] = [
  { name: 'Address', type: 'string', jsonPath: '.spec.address' },
  { name: 'Port', type: 'integer', jsonPath: '.spec.port' },
  { name: 'Zone', type: 'string', jsonPath: '.spec.zone' },
  { name: 'Upstreams', type: 'string', jsonPath: '.status.upstreams[*]', description: 'Upstreams that select this Endpoint.' },
];

export const VIRTUAL_SERVER_COLUMNS: PrinterColumn[] = [
  { name: 'Hosts', type: 'string', jsonPath: '.spec.serverNames[*]' },
  { name: 'Port', type: 'integer', jsonPath: '.spec.port' },
  ...programmed,
];
