/**
 * What holds on to a VPC or a subnet, so that EC2 refuses to delete or detach it as AWS does: the
 * instances (their network interfaces) and the load balancers, whose state ELBv2 keeps under
 * `serviceState.elbv2` (read here without creating it).
 */
import type { LoadBalancer } from '../elbv2/model';
import type { Instance, RegionState } from '../engine/state';

/** The region's load balancers. */
export function loadBalancersOf(state: RegionState): LoadBalancer[] {
  const elbv2 = state.serviceState.elbv2 as { loadBalancers?: Record<string, LoadBalancer> } | undefined;
  return Object.values(elbv2?.loadBalancers ?? {});
}

/** Instances not yet terminated (they hold an address in their subnet). */
export const liveInstances = (state: RegionState): Instance[] => Object.values(state.ec2.instances).filter((i) => i.state !== 'terminated');

/** Whether anything still has a network interface in the subnet. */
export const subnetInUse = (state: RegionState, subnetId: string): boolean =>
  liveInstances(state).some((i) => i.subnetId === subnetId) || loadBalancersOf(state).some((lb) => lb.AvailabilityZones.some((z) => z.SubnetId === subnetId));
