/**
 * Which alias records take on the health of a target outside the zone: the one decision that the DNS
 * health rules (GEO-DNS-002, GEO-DNS-005) and the failure simulation share.
 *
 * With EvaluateTargetHealth, Route 53 takes the health of an ELB load balancer (healthy while its target
 * groups have healthy targets) and of an Elastic Beanstalk environment with a load balancer; a
 * CloudFront distribution cannot evaluate target health at all, and for the other targets the API
 * reference gives no health that the record would take on. So only those two count; every other target
 * outside the zone leaves the record healthy while its region is down, as a record without a health
 * check is.
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 */
import type { AliasTargetFact } from '../facts/types';

const HEALTH_INHERITING_TARGETS: ReadonlySet<string> = new Set(['load-balancer', 'elastic-beanstalk']);

/**
 * The endpoint names of those targets when the alias names one literally rather than through a resource
 * of the artifact: `[dualstack.]<name>-<id>.<region>.elb.amazonaws.com` and an environment's regionalized
 * subdomain, `<env>.<region>.elasticbeanstalk.com` (`.com.cn` in the China regions).
 * @see https://repost.aws/knowledge-center/elb-configure-with-ipv6
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html (DNSName, Elastic Beanstalk environment)
 */
const HEALTH_INHERITING_ENDPOINT = /(?:^|\.)(?:elb\.amazonaws|elasticbeanstalk)\.com(?:\.cn)?\.?$/i;

/**
 * Whether an alias to a target outside the zone takes on the target's health: true for a load balancer
 * or Beanstalk environment (a resource of the artifact, or its endpoint name written literally) with
 * EvaluateTargetHealth on; undefined when such a target's EvaluateTargetHealth is unknown; false for any
 * other target, an unresolved one, or EvaluateTargetHealth off.
 */
export function aliasTakesTargetHealth(alias: AliasTargetFact): boolean | undefined {
  const inheriting = alias.resource
    ? HEALTH_INHERITING_TARGETS.has(alias.resource.kind)
    : typeof alias.dnsName === 'string' && HEALTH_INHERITING_ENDPOINT.test(alias.dnsName);
  return inheriting ? alias.evaluateTargetHealth : false;
}
