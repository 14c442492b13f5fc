/**
 * The statuses the controller writes, as plain JSON: Accepted and Programmed
 * conditions for the generation it acted on, an Upstream's resolved servers and
 * an Endpoint's selecting Upstreams. A condition keeps its lastTransitionTime
 * while its status stays the same, so an unchanged world yields an identical
 * status and nothing is written.
 */
import {
  CONDITION_ACCEPTED,
  CONDITION_PROGRAMMED,
  type Endpoint,
  type ResolvedServer,
  type Upstream,
  type VirtualServer,
} from '../../apis/nginx/types';
import type { Condition } from '../../index';
import type { ProgramOutcome } from './config-programmer';
import type { UpstreamPlan, VirtualServerPlan } from './desired-state';

export type PlainStatus = Record<string, unknown>;

interface ConditionState {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

function conditions(previous: Condition[] | undefined, next: ConditionState[], generation: number | undefined, now: string): PlainStatus[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { type: c.type, status: c.status, observedGeneration: generation, lastTransitionTime, reason: c.reason, message: c.message };
  });
}

const accepted: ConditionState = { type: CONDITION_ACCEPTED, status: 'True', reason: 'Accepted', message: 'The spec is valid.' };

/** Whether nginx runs `content` as `file`, and if not, why. */
function programmed(file: string, content: string, outcome: ProgramOutcome): ConditionState {
  if (outcome.loaded.get(file) === content) {
    return { type: CONDITION_PROGRAMMED, status: 'True', reason: 'Programmed', message: 'nginx runs this configuration.' };
  }
  const rejected = outcome.rejected.get(file);
  if (rejected !== undefined) {
    const kept = outcome.loaded.has(file) ? ' (the last good configuration stays in effect)' : '';
    const message = `nginx rejected the configuration${kept}: ${rejected}`;
    return { type: CONDITION_PROGRAMMED, status: 'False', reason: 'Invalid', message };
  }
  if (outcome.reloadError !== undefined) {
    return { type: CONDITION_PROGRAMMED, status: 'False', reason: 'ReloadFailed', message: `nginx did not reload: ${outcome.reloadError}` };
  }
  return { type: CONDITION_PROGRAMMED, status: 'False', reason: 'Pending', message: 'Not yet in nginx.' };
}

function plainServers(servers: ResolvedServer[]): PlainStatus[] {
  return JSON.parse(JSON.stringify(servers)) as PlainStatus[];
}

export function upstreamStatus(plan: UpstreamPlan, outcome: ProgramOutcome, now: string): PlainStatus {
  const upstream: Upstream = plan.upstream;
  const state: ConditionState =
    plan.content === null
      ? { type: CONDITION_PROGRAMMED, status: 'False', reason: 'NoServers', message: 'No server: spec.servers is empty and no Endpoint matches spec.endpointSelector.' }
      : programmed(plan.file, plan.content, outcome);
  return {
    observedGeneration: upstream.metadata.generation,
    conditions: conditions(upstream.status?.conditions, [accepted, state], upstream.metadata.generation, now),
    servers: plainServers(plan.servers),
    serverCount: plan.servers.length,
  };
}

/**
 * `upstreamNames` are the Upstreams that exist in the VirtualServer's namespace;
 * a reference nginx has no block for is either missing or not programmed.
 */
export function virtualServerStatus(plan: VirtualServerPlan, outcome: ProgramOutcome, upstreamNames: ReadonlySet<string>, now: string): PlainStatus {
  const vs: VirtualServer = plan.virtualServer;
  const generation = vs.metadata.generation;
  let states: ConditionState[];
  if (plan.conflict) {
    states = [
      { type: CONDITION_ACCEPTED, status: 'False', reason: 'Conflicted', message: plan.conflict },
      { type: CONDITION_PROGRAMMED, status: 'False', reason: 'Conflicted', message: plan.conflict },
    ];
  } else {
    states = [accepted, programmed(plan.file, outcome.wanted.get(plan.file) ?? '', outcome)];
    const namespace = vs.metadata.namespace ?? '';
    const references = [...new Set((vs.spec?.locations ?? []).map((l) => l.upstream).filter((u): u is string => u !== undefined))];
    const unresolved = references.filter((name) => !outcome.available.has(`${namespace}/${name}`));
    if (states[1].status === 'True' && unresolved.length > 0) {
      const missing = unresolved.filter((name) => !upstreamNames.has(name));
      const message = unresolved
        .map((name) => `Upstream ${name} ${missing.includes(name) ? 'does not exist' : 'is not programmed'}`)
        .join('; ');
      states[1] = {
        type: CONDITION_PROGRAMMED,
        status: 'False',
        reason: missing.length > 0 ? 'UpstreamNotFound' : 'UpstreamNotProgrammed',
        message: `${message}; its locations answer 502.`,
      };
    }
  }
  return { observedGeneration: generation, conditions: conditions(vs.status?.conditions, states, generation, now) };
}

export function endpointStatus(endpoint: Endpoint, upstreams: string[]): PlainStatus {
  return { observedGeneration: endpoint.metadata.generation, upstreams };
}
