/** The sample API groups `apiserver-kit serve` offers (select with --groups). */
import type { APIGroupDefinition } from '../index';

export function sampleGroups(): APIGroupDefinition[] {
  return [];
}
