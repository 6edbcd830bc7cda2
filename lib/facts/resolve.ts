/**
 * Resolved values shared by both readers. A resolved value is plain JSON, a `Node` (a reference to a
 * resource of the artifact), a `Composite` (a string built from parts, some not literal), or `undefined`
 * (unknown: a parameter, a data source, an Availability Zone lookup, a reference that leads nowhere).
 */
import type { KeyLink, Node } from './graph';
import type { SuppressionFact } from './types';

export class Composite {
  constructor(readonly parts: readonly unknown[]) {}
}

const NODES = new WeakSet<object>();

/** Registers a resource node so `isNode` recognizes it in one lookup (it runs for every resolved value). */
export function node<T extends Node>(n: T): T {
  NODES.add(n);
  return n;
}

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && NODES.has(v);
}

/** A literal string (numbers become strings, as CloudFormation does); undefined otherwise. */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The string with every unknown part replaced by `*`: only for reading a region out of an ARN. */
export function looseString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Composite) return v.parts.map((p) => (typeof p === 'string' ? p : typeof p === 'number' ? String(p) : '*')).join('');
  return undefined;
}

/** What a route sends its traffic to, by resource type, in words both readers share. */
const ROUTE_TARGETS: Readonly<Record<string, string>> = {
  'AWS::EC2::InternetGateway': 'internet-gateway', aws_internet_gateway: 'internet-gateway',
  'AWS::EC2::NatGateway': 'nat-gateway', aws_nat_gateway: 'nat-gateway',
  'AWS::EC2::VPCEndpoint': 'vpc-endpoint', aws_vpc_endpoint: 'vpc-endpoint',
  'AWS::EC2::TransitGateway': 'transit-gateway', aws_ec2_transit_gateway: 'transit-gateway',
  'AWS::EC2::EgressOnlyInternetGateway': 'egress-only-internet-gateway', aws_egress_only_internet_gateway: 'egress-only-internet-gateway',
};

/**
 * The target of a route other than a peering: a gateway of the artifact by kind (`internet-gateway`,
 * `nat-gateway`, ...; another resource by its type), a literal id as written, else `unresolved`.
 */
export function routeTarget(v: unknown): string {
  if (isNode(v)) return ROUTE_TARGETS[v.type] ?? v.type;
  return looseString(v) ?? 'unresolved';
}

/**
 * What an alias record leads to when its DNS name is an attribute of a resource, by resource type, in
 * words both readers share (any other resource by its type). Global ones answer from no region.
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 */
const ALIAS_TARGETS: Readonly<Record<string, string>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load-balancer', aws_lb: 'load-balancer', aws_alb: 'load-balancer',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'load-balancer', aws_elb: 'load-balancer',
  'AWS::CloudFront::Distribution': 'cloudfront-distribution', aws_cloudfront_distribution: 'cloudfront-distribution',
  'AWS::ApiGateway::DomainName': 'api-gateway-domain', aws_api_gateway_domain_name: 'api-gateway-domain',
  'AWS::ApiGatewayV2::DomainName': 'api-gateway-domain', aws_apigatewayv2_domain_name: 'api-gateway-domain',
  'AWS::S3::Bucket': 's3-website', aws_s3_bucket: 's3-website', aws_s3_bucket_website_configuration: 's3-website',
  'AWS::GlobalAccelerator::Accelerator': 'global-accelerator', aws_globalaccelerator_accelerator: 'global-accelerator',
  'AWS::ElasticBeanstalk::Environment': 'elastic-beanstalk', aws_elastic_beanstalk_environment: 'elastic-beanstalk',
  'AWS::EC2::VPCEndpoint': 'vpc-endpoint', aws_vpc_endpoint: 'vpc-endpoint',
};
const GLOBAL_ALIAS_TARGETS: ReadonlySet<string> = new Set(['cloudfront-distribution', 'global-accelerator']);

/** The kind of resource an alias leads to, and whether it answers from a region of its own. */
export function aliasTargetKind(type: string): { readonly kind: string; readonly global: boolean } {
  const kind = ALIAS_TARGETS[type] ?? type;
  return { kind, global: GLOBAL_ALIAS_TARGETS.has(kind) };
}

/**
 * The resource an alias's resolved DNS name is built from (`dualstack.` + a load balancer's DNSName, a
 * record set's name), or undefined for a literal name or an unresolved one.
 */
export function aliasTargetNode(v: unknown): Node | undefined {
  if (typeof v === 'string') return undefined;
  const link = linkOf(v);
  return isNode(link) ? link : undefined;
}

/**
 * A map key from any JSON value: strings as they are, other values as JSON. `String(v)` would throw on
 * an object whose `toString` is not a function, which a hostile template can contain.
 */
export function keyString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return '<unprintable>';
  }
}

export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function asBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/**
 * A link to another resource: the node, a literal id/ARN, or undefined. A string built around exactly one
 * node (an ARN joined from the partition, the account and a Ref) links to that node, even when the account
 * is unknown: the resource it names is still that one.
 */
export function linkOf(v: unknown): Node | string | undefined {
  if (isNode(v) || typeof v === 'string') return v;
  if (v instanceof Composite) {
    const nodes = v.parts.filter(isNode);
    if (nodes.length === 1) return nodes[0];
  }
  return undefined;
}

/** A list of strings; undefined when the list or any entry is unresolved. */
export function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return undefined;
  const out = v.map(asString);
  return out.every((x): x is string => x !== undefined) ? out : undefined;
}

/** Record of string values; undefined values for unresolved entries. */
export function stringRecord(v: unknown): Record<string, string | undefined> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v) || isNode(v) || v instanceof Composite) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asString(x)]));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isNode(v) && !(v instanceof Composite);
}

/**
 * Line numbers (1-based) of the object-valued keys (`"key": {`) of a JSON text, built lazily in one pass.
 * The pass jumps from quote to quote with `indexOf` (native scans) instead of reading every character in
 * JavaScript: a 50 MB template is mostly the insides of strings. Newlines are counted only outside
 * strings, and a string ends at the first quote after an even run of backslashes.
 */
export function keyLines(text: string | undefined): (key: string, after?: number) => number | undefined {
  if (text === undefined) return () => undefined;
  let index: Map<string, number[]> | undefined;
  const build = (): Map<string, number[]> => {
    const map = new Map<string, number[]>();
    const n = text.length;
    const isBlank = (c: number) => c === 32 || c === 9 || c === 13; // space, tab, CR (not a newline)
    // The next newline and the next backslash at or after the scan position; -1 when there is none.
    // Kept between strings so that no search runs over the same stretch of text twice.
    let newline = text.indexOf('\n');
    let backslash = text.indexOf('\\');
    let line = 1;
    let pos = 0;
    while (pos < n) {
      const open = text.indexOf('"', pos);
      if (open < 0) break;
      if (newline >= 0 && newline < pos) newline = text.indexOf('\n', pos); // skip newlines inside the last string
      while (newline >= 0 && newline < open) {
        line++;
        newline = text.indexOf('\n', newline + 1);
      }
      const start = open + 1;
      if (backslash >= 0 && backslash < start) backslash = text.indexOf('\\', start);
      let close = text.indexOf('"', start);
      // A quote after an odd run of backslashes is escaped: the string goes on.
      while (close >= 0 && backslash >= 0 && backslash < close) {
        let run = 0;
        while (close - run - 1 >= start && text.charCodeAt(close - run - 1) === 92) run++;
        if (run % 2 === 0) break;
        close = text.indexOf('"', close + 1);
      }
      if (close < 0) break;
      const escaped = backslash >= 0 && backslash < close;
      pos = close + 1;
      let j = close + 1;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 58) continue; // ':'
      j++;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 123) continue; // '{'
      const raw = text.slice(start, close);
      const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      const lines = map.get(key);
      if (!lines) map.set(key, [line]);
      else if (lines[lines.length - 1] !== line) lines.push(line);
    }
    return map;
  };
  return (key, after = 0) => {
    index ??= build();
    return index.get(key)?.find((l) => l >= after);
  };
}

/** A DNS name without its trailing dot. */
export function trimDot(v: string | undefined): string | undefined {
  return v?.replace(/\.$/, '');
}

/** A KMS key reference: the key node, an ARN (or alias ARN), or unknown. */
export function keyLink(v: unknown): KeyLink {
  if (isNode(v)) return v;
  if (typeof v === 'string') return v;
  const loose = looseString(v);
  // An ARN built at deploy time (`arn:${Partition}:kms:eu-west-1:...`) still names its region.
  return loose && /^arn:[^:]*:kms:[a-z0-9-]+:/.test(loose) ? loose : linkOf(v);
}

/** The spec's suppressions as the renderers write them into their output (`{ suppressions: [...] }`). */
export function suppressionList(meta: unknown): SuppressionFact[] {
  const list = isObject(meta) && Array.isArray(meta.suppressions) ? meta.suppressions : [];
  return list.filter(isObject).filter((s) => typeof s.rule === 'string').map((s) => ({
    rule: String(s.rule), reason: typeof s.reason === 'string' ? s.reason : '',
    ...(typeof s.expires === 'string' ? { expires: s.expires } : {}), ...(typeof s.resource === 'string' ? { resource: s.resource } : {}),
  }));
}
