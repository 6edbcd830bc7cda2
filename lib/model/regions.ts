/**
 * The region catalog: every AWS region of the commercial, China, GovCloud and European Sovereign Cloud
 * partitions, with the country that hosts it. `aws-cdk-lib/region-info` carries no country data, and a
 * region's name prefix is no guide to jurisdiction (`eu-west-2` is GB, `eu-central-2` is CH).
 */
import type { RegionCode } from './catalog-types';
import { isIsoCountry } from './iso3166';

/** Route 53 geolocation continent codes. */
export type ContinentCode = 'AF' | 'AN' | 'AS' | 'EU' | 'NA' | 'OC' | 'SA';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-eusc';

export interface RegionInfo {
  /** AWS region code, e.g. `eu-west-1`. */
  readonly code: string;
  /** Human name as AWS publishes it. */
  readonly displayName: string;
  /** ISO 3166-1 alpha-2 code of the hosting country. */
  readonly country: string;
  readonly continent: ContinentCode;
  readonly partition: Partition;
  /** Approximate latitude of the region's metro area, degrees. */
  readonly latitude: number;
  /** Approximate longitude of the region's metro area, degrees. */
  readonly longitude: number;
  /**
   * Availability Zones every account can rely on in this region (what `Fn::GetAZs` returns may be
   * fewer than the region has): a plan never selects a zone index at or above this count.
   */
  readonly reliableAvailabilityZones: number;
}

/**
 * Every region has at least three Availability Zones
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html), but an
 * account does not necessarily see all of them: in us-west-1 accounts created in the last years are
 * offered two zones only, and `Fn::GetAZs` returns only zones with a default subnet. Regions not listed
 * here give every account at least three.
 */
const FEWER_RELIABLE_ZONES: Readonly<Record<string, number>> = { 'us-west-1': 2 };

/** Availability Zones any account can rely on in a region unless {@link FEWER_RELIABLE_ZONES} says otherwise. */
export const DEFAULT_RELIABLE_AVAILABILITY_ZONES = 3;

/** ISO 3166-1 alpha-2 codes of the 27 EU member states. */
export const EU_COUNTRIES: readonly string[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];

/** The European Economic Area: the EU plus Iceland, Liechtenstein and Norway. */
export const EEA_COUNTRIES: readonly string[] = [...EU_COUNTRIES, 'IS', 'LI', 'NO'];

/** Jurisdiction groups a spec may name in `residency` or `jurisdiction`. */
export const JURISDICTION_GROUPS: Readonly<Record<string, readonly string[]>> = {
  EU: EU_COUNTRIES,
  EEA: EEA_COUNTRIES,
};

type Row = [code: string, displayName: string, country: string, continent: ContinentCode, partition: Partition, lat: number, lon: number];

const ROWS: Row[] = [
  ['af-south-1', 'Africa (Cape Town)', 'ZA', 'AF', 'aws', -33.92, 18.42],
  ['ap-east-1', 'Asia Pacific (Hong Kong)', 'HK', 'AS', 'aws', 22.32, 114.17],
  ['ap-east-2', 'Asia Pacific (Taipei)', 'TW', 'AS', 'aws', 25.03, 121.57],
  ['ap-northeast-1', 'Asia Pacific (Tokyo)', 'JP', 'AS', 'aws', 35.68, 139.69],
  ['ap-northeast-2', 'Asia Pacific (Seoul)', 'KR', 'AS', 'aws', 37.57, 126.98],
  ['ap-northeast-3', 'Asia Pacific (Osaka)', 'JP', 'AS', 'aws', 34.69, 135.5],
  ['ap-south-1', 'Asia Pacific (Mumbai)', 'IN', 'AS', 'aws', 19.08, 72.88],
  ['ap-south-2', 'Asia Pacific (Hyderabad)', 'IN', 'AS', 'aws', 17.39, 78.49],
  ['ap-southeast-1', 'Asia Pacific (Singapore)', 'SG', 'AS', 'aws', 1.35, 103.82],
  ['ap-southeast-2', 'Asia Pacific (Sydney)', 'AU', 'OC', 'aws', -33.87, 151.21],
  ['ap-southeast-3', 'Asia Pacific (Jakarta)', 'ID', 'AS', 'aws', -6.21, 106.85],
  ['ap-southeast-4', 'Asia Pacific (Melbourne)', 'AU', 'OC', 'aws', -37.81, 144.96],
  ['ap-southeast-5', 'Asia Pacific (Malaysia)', 'MY', 'AS', 'aws', 3.14, 101.69],
  ['ap-southeast-6', 'Asia Pacific (New Zealand)', 'NZ', 'OC', 'aws', -36.85, 174.76],
  ['ap-southeast-7', 'Asia Pacific (Thailand)', 'TH', 'AS', 'aws', 13.76, 100.5],
  ['ca-central-1', 'Canada (Central)', 'CA', 'NA', 'aws', 45.5, -73.57],
  ['ca-west-1', 'Canada West (Calgary)', 'CA', 'NA', 'aws', 51.05, -114.07],
  ['eu-central-1', 'Europe (Frankfurt)', 'DE', 'EU', 'aws', 50.11, 8.68],
  ['eu-central-2', 'Europe (Zurich)', 'CH', 'EU', 'aws', 47.38, 8.54],
  ['eu-north-1', 'Europe (Stockholm)', 'SE', 'EU', 'aws', 59.33, 18.07],
  ['eu-south-1', 'Europe (Milan)', 'IT', 'EU', 'aws', 45.46, 9.19],
  ['eu-south-2', 'Europe (Spain)', 'ES', 'EU', 'aws', 41.65, -0.88],
  ['eu-west-1', 'Europe (Ireland)', 'IE', 'EU', 'aws', 53.35, -6.26],
  ['eu-west-2', 'Europe (London)', 'GB', 'EU', 'aws', 51.51, -0.13],
  ['eu-west-3', 'Europe (Paris)', 'FR', 'EU', 'aws', 48.86, 2.35],
  ['il-central-1', 'Israel (Tel Aviv)', 'IL', 'AS', 'aws', 32.09, 34.78],
  ['me-central-1', 'Middle East (UAE)', 'AE', 'AS', 'aws', 25.2, 55.27],
  ['me-south-1', 'Middle East (Bahrain)', 'BH', 'AS', 'aws', 26.07, 50.56],
  ['me-west-1', 'Middle East (Saudi Arabia)', 'SA', 'AS', 'aws', 24.71, 46.68],
  ['mx-central-1', 'Mexico (Central)', 'MX', 'NA', 'aws', 20.59, -100.39],
  ['sa-east-1', 'South America (Sao Paulo)', 'BR', 'SA', 'aws', -23.55, -46.63],
  ['sa-west-1', 'South America (Chile)', 'CL', 'SA', 'aws', -33.45, -70.67],
  ['us-east-1', 'US East (N. Virginia)', 'US', 'NA', 'aws', 38.95, -77.45],
  ['us-east-2', 'US East (Ohio)', 'US', 'NA', 'aws', 39.96, -83.0],
  ['us-west-1', 'US West (N. California)', 'US', 'NA', 'aws', 37.35, -121.96],
  ['us-west-2', 'US West (Oregon)', 'US', 'NA', 'aws', 45.84, -119.7],
  ['cn-north-1', 'China (Beijing)', 'CN', 'AS', 'aws-cn', 39.9, 116.4],
  ['cn-northwest-1', 'China (Ningxia)', 'CN', 'AS', 'aws-cn', 38.47, 106.27],
  ['us-gov-east-1', 'AWS GovCloud (US-East)', 'US', 'NA', 'aws-us-gov', 39.96, -83.0],
  ['us-gov-west-1', 'AWS GovCloud (US-West)', 'US', 'NA', 'aws-us-gov', 45.84, -119.7],
  ['eusc-de-east-1', 'AWS European Sovereign Cloud (Germany)', 'DE', 'EU', 'aws-eusc', 52.41, 12.53],
];

/**
 * The regions Route 53 runs health checkers in; a health check's `Regions` must name three or more of them.
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 */
export const ROUTE53_HEALTH_CHECKER_REGIONS: readonly string[] = [
  'us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1',
];

/** The catalog, keyed by region code. */
export const REGIONS: Readonly<Record<string, RegionInfo>> = Object.freeze(
  Object.fromEntries(ROWS.map(([code, displayName, country, continent, partition, latitude, longitude]) =>
    [code, Object.freeze({
      code, displayName, country, continent, partition, latitude, longitude,
      reliableAvailabilityZones: FEWER_RELIABLE_ZONES[code] ?? DEFAULT_RELIABLE_AVAILABILITY_ZONES,
    })])),
);

/** Region codes in catalog order. */
export const REGION_CODES: readonly RegionCode[] = ROWS.map((r) => r[0] as RegionCode);

/** The catalog entry for a region, or undefined when the code is unknown. */
export function regionInfo(code: string): RegionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(REGIONS, code) ? REGIONS[code] : undefined;
}

/** True when `code` is an assigned ISO 3166-1 alpha-2 code or a known jurisdiction group. */
export function isJurisdiction(code: string): boolean {
  return isIsoCountry(code) || Object.prototype.hasOwnProperty.call(JURISDICTION_GROUPS, code);
}

/** Expands jurisdiction codes (countries and groups such as EU) into a sorted set of country codes. */
export function expandJurisdictions(codes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of codes) {
    const group = Object.prototype.hasOwnProperty.call(JURISDICTION_GROUPS, c) ? JURISDICTION_GROUPS[c] : undefined;
    for (const country of group ?? [c]) out.add(country);
  }
  return [...out].sort();
}

/** True when the region's hosting country lies inside any of the given jurisdictions. */
export function regionInJurisdictions(code: string, jurisdictions: readonly string[]): boolean | undefined {
  const info = regionInfo(code);
  if (!info) return undefined;
  return expandJurisdictions(jurisdictions).includes(info.country);
}

/** Great-circle distance between two regions in kilometres (haversine), for latency estimates. */
export function regionDistanceKm(a: string, b: string): number | undefined {
  const ra = regionInfo(a);
  const rb = regionInfo(b);
  if (!ra || !rb) return undefined;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(rb.latitude - ra.latitude);
  const dLon = rad(rb.longitude - ra.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(ra.latitude)) * Math.cos(rad(rb.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
