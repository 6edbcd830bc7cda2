import { readFileSync } from 'fs';
import { join } from 'path';
import {
  EU_COUNTRIES, expandJurisdictions, REGION_CODES, REGIONS, regionDistanceKm, regionInJurisdictions, regionInfo, regionShort,
} from '../../lib/model';

interface PartitionsFile { partitions: Array<{ id: string; regions: Record<string, { description: string }> }> }

/**
 * AWS's own list of regions, as shipped inside the SDK. The file is an ES module exporting one
 * JSON object; its path is an implementation detail of @aws-sdk/core, so it is located from the
 * package root rather than imported.
 */
function sdkPartitions(): PartitionsFile {
  const root = join(require.resolve('@aws-sdk/core/package.json'), '..');
  const candidates = [
    'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
  ].map((p) => join(root, p));
  for (const file of candidates) {
    try {
      const src = readFileSync(file, 'utf8');
      return JSON.parse(src.slice(src.indexOf('{'), src.lastIndexOf('}') + 1)) as PartitionsFile;
    } catch {
      // try the next layout
    }
  }
  throw new Error(`partitions data not found under ${root}; the SDK layout changed`);
}

const CATALOG_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc'];

describe('region catalog', () => {
  const partitions = sdkPartitions().partitions;

  test.each(CATALOG_PARTITIONS)('every region AWS lists in partition %s is in the catalog', (id) => {
    // GIVEN the SDK's regions of this partition, minus the pseudo-region for global endpoints
    const p = partitions.find((x) => x.id === id);
    expect(p).toBeDefined();
    const listed = Object.keys(p!.regions).filter((r) => !r.endsWith('-global'));
    expect(listed.length).toBeGreaterThan(0);
    // THEN each is classified, in the right partition
    const missing = listed.filter((r) => !regionInfo(r));
    expect(missing).toEqual([]);
    for (const r of listed) expect(regionInfo(r)!.partition).toBe(id);
  });

  test('the catalog lists no region that AWS does not', () => {
    const known = new Set(partitions.flatMap((p) => Object.keys(p.regions)));
    expect(REGION_CODES.filter((r) => !known.has(r))).toEqual([]);
  });

  test.each([
    ['eu-west-2', 'GB', false],
    ['eu-central-2', 'CH', false],
    ['eu-west-1', 'IE', true],
    ['eu-central-1', 'DE', true],
    ['eusc-de-east-1', 'DE', true],
    ['il-central-1', 'IL', false],
    ['us-east-1', 'US', false],
  ])('%s is hosted in %s (EU member: %s)', (code, country, inEu) => {
    expect(regionInfo(code)!.country).toBe(country);
    expect(regionInJurisdictions(code, ['EU'])).toBe(inEu);
  });

  test('EU has 27 members and EEA adds IS, LI, NO', () => {
    expect(EU_COUNTRIES).toHaveLength(27);
    expect(expandJurisdictions(['EEA'])).toHaveLength(30);
    expect(expandJurisdictions(['EEA'])).toEqual(expect.arrayContaining(['IS', 'LI', 'NO']));
    expect(expandJurisdictions(['EU', 'CH', 'DE'])).toHaveLength(28);
  });

  test('an unknown region is unknown, not outside', () => {
    expect(regionInfo('xx-nowhere-1')).toBeUndefined();
    expect(regionInJurisdictions('xx-nowhere-1', ['EU'])).toBeUndefined();
    expect(regionInfo('toString')).toBeUndefined();
  });

  test('coordinates are plausible and distances symmetric', () => {
    for (const r of Object.values(REGIONS)) {
      expect(Math.abs(r.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(r.longitude)).toBeLessThanOrEqual(180);
    }
    const d = regionDistanceKm('us-east-1', 'eu-west-1')!;
    // Washington DC to Dublin is roughly 5,500 km.
    expect(d).toBeGreaterThan(5000);
    expect(d).toBeLessThan(6000);
    expect(regionDistanceKm('eu-west-1', 'us-east-1')).toBeCloseTo(d, 6);
  });

  test('short region tokens are unique across the catalog', () => {
    const shorts = REGION_CODES.map(regionShort);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(regionShort('us-east-1')).toBe('use1');
    expect(regionShort('ap-southeast-2')).toBe('apse2');
  });
});
