/** The application-subnet fixture the renderer, parity and validation tests share. */
import type { GeoSpec, PlannedRegion, ValidSpec } from '../../lib/model';

/**
 * `spec` with every application-subnet layout: public + private subnets (a NAT gateway per zone) in every
 * region except eu-west-1, which gets private subnets with interface endpoints.
 */
export function withEveryApplicationLayout<S extends GeoSpec | ValidSpec>(spec: S): S {
  return {
    ...spec,
    network: { ...spec.network, applicationSubnets: 'public-and-private' },
    regions: spec.regions.map((r) => (r.name === 'eu-west-1' ? { ...r, applicationSubnets: 'private-with-endpoints' as const } : r)),
  } as S;
}

/** The tier each planned subnet CIDR of a region belongs to. */
export function plannedTiers(r: PlannedRegion): Record<string, string> {
  return Object.fromEntries([
    ...r.dataSubnets.map((s) => [s.cidr, 'data']),
    ...r.applicationSubnets.public.map((s) => [s.cidr, 'public']),
    ...r.applicationSubnets.private.map((s) => [s.cidr, 'application']),
  ]);
}
