/**
 * Network decisions of a plan: how many Availability Zones each region uses, the data subnets carved
 * from the region CIDR, and the CIDRs admitted to the database port. Both renderers take these as they are.
 */
import { cidrFromStart, parseCidr } from './cidr';
import { SpecError } from './errors';
import { DEFAULT_RELIABLE_AVAILABILITY_ZONES, regionInfo } from './regions';
import type { PlannedApplicationSubnets, PlannedClientCidr, PlannedEndpointAccess, PlannedPeering, PlannedSubnet } from './plan-types';
import type { ApplicationSubnetLayout } from './spec';

/**
 * Tag every Meridian resource carries with the plan's name (a plan tag, see `plan()`). The FIS
 * region-isolation experiment selects its subnets by this tag alone, so it cuts every subnet Meridian
 * lays out in the region, whatever its tier. FIS selects a resource only when it carries every tag of
 * the target (AND): https://docs.aws.amazon.com/fis/latest/userguide/targets.html
 */
export const TOPOLOGY_TAG = 'meridian:topology';

/** Tag naming the tier of a subnet Meridian lays out; the values are {@link SUBNET_TIERS}. */
export const SUBNET_TIER_TAG = 'meridian:subnet-tier';

/**
 * Tiers of the subnets Meridian lays out: the isolated data subnets, and the planned application
 * subnets (public, and private for the services).
 */
export const SUBNET_TIERS = { data: 'data', public: 'public', application: 'application' } as const;
export type SubnetTier = keyof typeof SUBNET_TIERS;

/**
 * The tags that make a subnet of `tier` one of the deployment's: the topology (which the isolation
 * experiment selects by) and the tier (which the data-only region-failover rehearsal selects by). Both
 * renderers put them on every subnet they lay out, and on the data subnets of a VPC a team brings.
 */
export function subnetTags(planName: string, tier: SubnetTier): Record<string, string> {
  return { [TOPOLOGY_TAG]: planName, ...subnetTierTag(tier) };
}

/** The tier tag of a subnet of `tier` (a region's tags, `PlannedRegion.tags`, already hold the topology). */
export function subnetTierTag(tier: SubnetTier): Record<string, string> {
  return { [SUBNET_TIER_TAG]: SUBNET_TIERS[tier] };
}

/** Tags of the region-isolation target: every subnet of the deployment in the region (see {@link TOPOLOGY_TAG}). */
export function isolationTargetTags(planName: string): Record<string, string> {
  return { [TOPOLOGY_TAG]: planName };
}

/** Tags of a target that is the data subnets only (the region-failover rehearsal cuts the database off). */
export function dataSubnetTargetTags(planName: string): Record<string, string> {
  return subnetTags(planName, 'data');
}

/** Aurora needs a DB subnet group covering at least two Availability Zones. */
export const MIN_AVAILABILITY_ZONES = 2;
/** Preferred size of a data subnet (a /24 holds 251 usable addresses). */
export const DATA_SUBNET_PREFIX = 24;
/** Smallest subnet AWS allows. */
export const MAX_SUBNET_PREFIX = 28;

/**
 * Availability Zones of one region: the spec's `network.availabilityZones`, else 3 or the fewer zones
 * every account can rely on there. Throws naming the region when the spec asks for more than that.
 */
export function availabilityZoneCount(region: string, index: number, requested: number | undefined): number {
  const reliable = regionInfo(region)?.reliableAvailabilityZones ?? DEFAULT_RELIABLE_AVAILABILITY_ZONES;
  if (requested === undefined) return Math.min(DEFAULT_RELIABLE_AVAILABILITY_ZONES, reliable);
  if (requested > reliable) {
    throw new SpecError([{
      path: 'network.availabilityZones',
      message: `regions[${index}] ${region}: accounts can rely on only ${reliable} Availability Zones there (Fn::GetAZs returns only zones with a default subnet); allowed: ${MIN_AVAILABILITY_ZONES} to ${reliable}`,
      value: requested,
    }]);
  }
  return requested;
}

/**
 * The data subnets of a region: one per zone, at the bottom of the region CIDR, each a /24 (or the
 * largest size that fits four of them when the region is smaller than a /22).
 */
export function dataSubnets(regionCidr: string, zones: number, index: number): PlannedSubnet[] {
  const block = parseCidr(regionCidr);
  if (!block) throw new SpecError([{ path: `regions[${index}].cidr`, message: 'is not a valid IPv4 CIDR block', value: regionCidr }]);
  const prefix = Math.max(DATA_SUBNET_PREFIX, block.prefix + Math.max(2, Math.ceil(Math.log2(zones))));
  if (prefix > MAX_SUBNET_PREFIX) {
    throw new SpecError([{
      path: `regions[${index}].cidr`,
      message: `is too small for ${zones} data subnets of at least /${MAX_SUBNET_PREFIX}; allowed: a prefix of /${MAX_SUBNET_PREFIX - 2} or shorter`,
      value: regionCidr,
    }]);
  }
  const size = 2 ** (32 - prefix);
  return Array.from({ length: zones }, (_, i) => ({ cidr: cidrFromStart(block.start + i * size, prefix).text, zoneIndex: i }));
}

/**
 * The CIDRs admitted to a region's database port: its own, then those of every region it is peered
 * with, in plan order. In partitioned mode only peers of the same data partition (jurisdiction) are
 * admitted: a region serving another jurisdiction may be peered for other traffic, but never reaches
 * this partition's database.
 */
export function databaseClientCidrs(
  region: { readonly name: string; readonly cidr: string; readonly partitionId: string },
  peerings: readonly PlannedPeering[],
  partitionOf: (region: string) => string | undefined,
): PlannedClientCidr[] {
  const same = (other: string) => partitionOf(other) === region.partitionId;
  const out: PlannedClientCidr[] = [{ cidr: region.cidr, region: region.name }];
  for (const p of peerings) {
    if (p.requesterRegion === region.name && same(p.accepterRegion)) out.push({ cidr: p.accepterCidr, region: p.accepterRegion });
    else if (p.accepterRegion === region.name && same(p.requesterRegion)) out.push({ cidr: p.requesterCidr, region: p.requesterRegion });
  }
  return out;
}

/** The services a private-only region reaches through interface endpoints: what the data tier's clients need. */
export const APPLICATION_INTERFACE_ENDPOINTS: readonly string[] = ['secretsmanager', 'kms', 'logs', 'sts'];

/** Port of the interface endpoints: the AWS SDKs reach these services over HTTPS. */
export const INTERFACE_ENDPOINT_PORT = 443;

/**
 * Regions where a service's endpoint service name starts with `cn.com.amazonaws` instead of
 * `com.amazonaws` (of the services in {@link APPLICATION_INTERFACE_ENDPOINTS}: STS in both China
 * regions; from the prefix table of aws-cdk-lib's `InterfaceVpcEndpointAwsService`).
 */
const CN_PREFIXED_ENDPOINTS: Readonly<Record<string, readonly string[]>> = {
  'cn-north-1': ['sts'],
  'cn-northwest-1': ['sts'],
};

/** The interface endpoint service name of `service` in `region`, e.g. `com.amazonaws.eu-west-1.secretsmanager`. */
export function interfaceEndpointServiceName(region: string, service: string): string {
  const prefix = CN_PREFIXED_ENDPOINTS[region]?.includes(service) ? 'cn.com.amazonaws' : 'com.amazonaws';
  return `${prefix}.${region}.${service}`;
}

/**
 * How a region's interface endpoints are reached: HTTPS from the region's own CIDR, with private DNS.
 * Private DNS needs DNS support and DNS hostnames on the VPC, which both renderers turn on
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html, PrivateDnsEnabled).
 */
export function endpointAccess(region: string, regionCidr: string, services: readonly string[]): PlannedEndpointAccess {
  return {
    serviceNames: Object.fromEntries(services.map((s) => [s, interfaceEndpointServiceName(region, s)])),
    port: INTERFACE_ENDPOINT_PORT,
    clientCidrs: [regionCidr],
    privateDns: true,
  };
}

/**
 * The application subnets of a region, after its data subnets and of their size: public then private
 * (`public-and-private`), or private only (`private-with-endpoints`), one per zone each. The AWS CDK
 * `Vpc` allocates its subnet groups in the same order from the bottom of the CIDR.
 */
export function applicationSubnets(region: string, regionCidr: string, zones: number, layout: ApplicationSubnetLayout, index: number): PlannedApplicationSubnets {
  const none: PlannedApplicationSubnets = { layout, public: [], private: [], natGateways: 0, interfaceEndpoints: [], mapPublicIpOnLaunch: false, endpointAccess: null };
  if (layout === 'none') return none;
  const data = dataSubnets(regionCidr, zones, index);
  const block = parseCidr(regionCidr);
  const first = parseCidr(data[0]?.cidr ?? '');
  if (!block || !first) return none;
  const size = 2 ** (32 - first.prefix);
  const groups = layout === 'public-and-private' ? 2 : 1;
  const needed = (1 + groups) * zones * size;
  if (needed > 2 ** (32 - block.prefix)) {
    throw new SpecError([{
      path: `regions[${index}].cidr`,
      message: `has no room for ${groups * zones} application subnets of /${first.prefix} after the ${zones} data subnets (layout ${layout}); allowed: a larger region CIDR or applicationSubnets none`,
      value: regionCidr,
    }]);
  }
  const group = (n: number): PlannedSubnet[] => Array.from({ length: zones }, (_, i) => ({
    cidr: cidrFromStart(block.start + (n * zones + i) * size, first.prefix).text, zoneIndex: i,
  }));
  return layout === 'public-and-private'
    ? { ...none, public: group(1), private: group(2), natGateways: zones }
    : { ...none, private: group(1), interfaceEndpoints: APPLICATION_INTERFACE_ENDPOINTS, endpointAccess: endpointAccess(region, regionCidr, APPLICATION_INTERFACE_ENDPOINTS) };
}
