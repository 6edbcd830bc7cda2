/**
 * The AWS limits Meridian's input must respect, each defined once with the page that states it. The
 * schema (`spec.ts`) and `plan()` both check against these tables, and the policy entry point
 * re-exports them so renderers and other tools need no second copy. Pure data and pure functions.
 */

/** A naming rule of an AWS service: length range, allowed characters and extra shape constraints. */
export interface NameRule {
  /** What is named, as the messages say it, e.g. `Aurora DB cluster identifier`. */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Allowed characters, anchored. */
  readonly pattern: RegExp;
  /** Allowed characters, as the messages say them. */
  readonly allowed: string;
  /** Must start with a letter. */
  readonly startsWithLetter?: boolean;
  /** Must not end with a hyphen nor contain two hyphens in a row. */
  readonly noEdgeOrDoubleHyphen?: boolean;
  /** Forbidden prefix, e.g. `alias/aws/`. */
  readonly forbiddenPrefix?: string;
  /** Where AWS states the rule. */
  readonly source: string;
}

/** Naming rules of every AWS resource Meridian names from the spec. */
export const NAME_RULES = {
  /** @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html */
  auroraCluster: {
    what: 'Aurora DB cluster identifier', minLength: 1, maxLength: 63, pattern: /^[a-zA-Z0-9-]+$/,
    allowed: 'letters, digits and hyphens', startsWithLetter: true, noEdgeOrDoubleHyphen: true,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html',
  },
  /** @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html */
  auroraGlobalCluster: {
    what: 'Aurora global cluster identifier', minLength: 1, maxLength: 63, pattern: /^[a-zA-Z0-9-]+$/,
    allowed: 'letters, digits and hyphens', startsWithLetter: true, noEdgeOrDoubleHyphen: true,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html',
  },
  /** @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html */
  dynamoDbTable: {
    what: 'DynamoDB table name', minLength: 3, maxLength: 255, pattern: /^[a-zA-Z0-9_.-]+$/,
    allowed: 'letters, digits, _ . -',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html',
  },
  /** @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html */
  kmsAlias: {
    what: 'KMS alias name', minLength: 1, maxLength: 256, pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
    allowed: '"alias/" then letters, digits, / _ -', forbiddenPrefix: 'alias/aws/',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html',
  },
  /** @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
  iamRole: {
    what: 'IAM role name', minLength: 1, maxLength: 64, pattern: /^[\w+=,.@-]+$/,
    allowed: 'letters, digits, _ + = , . @ -',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
  },
  /** @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html */
  logGroup: {
    what: 'CloudWatch Logs log group name', minLength: 1, maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: 'letters, digits, . - _ / #',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
  },
  /** @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html */
  snsTopic: {
    what: 'SNS topic name', minLength: 1, maxLength: 256, pattern: /^[A-Za-z0-9_-]+$/,
    allowed: 'letters, digits, _ -',
    source: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html',
  },
  /** @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html */
  alarm: {
    what: 'CloudWatch alarm name', minLength: 1, maxLength: 255, pattern: /^[^\u0000-\u001f\u007f]+$/,
    allowed: 'printable characters',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  },
  /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html */
  stack: {
    what: 'CloudFormation stack name', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter', startsWithLetter: true,
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html',
  },
  /** @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html */
  secret: {
    what: 'Secrets Manager secret name', minLength: 1, maxLength: 512, pattern: /^[a-zA-Z0-9/_+=.@-]+$/,
    allowed: 'letters, digits, / _ + = . @ -',
    source: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html',
  },
  /** @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html */
  dashboard: {
    what: 'CloudWatch dashboard name', minLength: 1, maxLength: 255, pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, _ -',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
  },
  /** @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html */
  route53SetIdentifier: {
    what: 'Route 53 record set identifier', minLength: 1, maxLength: 128, pattern: /^[^\u0000-\u001f\u007f]+$/,
    allowed: 'printable characters',
    source: 'https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html',
  },
} as const satisfies Record<string, NameRule>;

/** Why `name` breaks `rule`, or undefined when it complies. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  const problems: string[] = [];
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    problems.push(`is ${name.length} characters long; allowed: ${rule.minLength} to ${rule.maxLength}`);
  }
  if (!rule.pattern.test(name)) problems.push(`may contain only ${rule.allowed}`);
  if (rule.startsWithLetter && !/^[a-zA-Z]/.test(name)) problems.push('must start with a letter');
  if (rule.noEdgeOrDoubleHyphen && (name.endsWith('-') || name.includes('--'))) problems.push('must not end with a hyphen or contain two hyphens in a row');
  if (rule.forbiddenPrefix && name.toLowerCase().startsWith(rule.forbiddenPrefix)) problems.push(`must not start with "${rule.forbiddenPrefix}" (reserved for AWS)`);
  return problems.length === 0 ? undefined : `${rule.what} "${clip(name)}" ${problems.join(', ')} (${rule.source})`;
}

/**
 * The spec's `name`: lower-case letters, digits and single hyphens, starting with a letter and not
 * ending with a hyphen, because it begins the Aurora cluster identifiers (which refuse `orders-` and
 * `a--b`), stack names and every other derived name.
 *
 * Its length budget is set by the longest name derived from it, the FIS experiment role
 * `<name>-<region short>-fis-<kind>`: 18 characters besides the name for the longest region short code
 * (`euscdee1`), against IAM's 64 — so 46 would fit; 40 leaves room for longer region codes. plan()
 * checks every derived name against its rule as well, so the budget can never let a bad name through.
 */
export const SPEC_NAME = { maxLength: 40, pattern: /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/ } as const;

/**
 * VPC CIDR blocks: a netmask between /16 and /28, and never a reserved range.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
 */
export const VPC_CIDR = {
  minPrefix: 16,
  maxPrefix: 28,
  source: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html',
} as const;

/**
 * IPv4 ranges no VPC (and so no base CIDR) may use: "this network", loopback, link-local, multicast and
 * the reserved class E block that ends in the limited broadcast address (RFC 6890 special-purpose registry).
 */
export const RESERVED_IPV4_RANGES: readonly { readonly cidr: string; readonly what: string }[] = [
  { cidr: '0.0.0.0/8', what: '"this network" (0.0.0.0/8)' },
  { cidr: '127.0.0.0/8', what: 'loopback (127.0.0.0/8)' },
  { cidr: '169.254.0.0/16', what: 'link-local (169.254.0.0/16)' },
  { cidr: '224.0.0.0/4', what: 'multicast (224.0.0.0/4)' },
  { cidr: '240.0.0.0/4', what: 'reserved and broadcast (240.0.0.0/4)' },
];

/**
 * Tags: key 1–128 and value 0–256 Unicode characters of letters, digits, spaces and `_ . : / = + - @`;
 * the `aws:` prefix is reserved; at most 50 user tags per resource.
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TaggingRestrictions.html
 */
export const TAGS = {
  keyMaxLength: 128,
  valueMaxLength: 256,
  perResource: 50,
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  allowed: 'letters, digits, spaces and _ . : / = + - @',
  reservedPrefix: 'aws:',
  /**
   * Tags Meridian itself puts on one resource at most: eight deployment-wide (`meridian:topology`, `mode`,
   * `data-classification`, and the fact tags `residency`, `consistency`, `quorum`, `rto-seconds`,
   * `rpo-seconds`), six per region (`region-role`, `jurisdiction`, `region`, `partition`, `peak-rps`,
   * `capacity-rps`), the `Name` tag of EC2 resources, one of `meridian:subnet-tier` /
   * `meridian:peering-side`, and the two aws-cdk-lib puts on the subnets of an `ec2.Vpc`
   * (`aws-cdk:subnet-name`, `aws-cdk:subnet-type`). test/cdk/tag-budget.test.ts counts them on every
   * synthesized resource of both renderers.
   */
  meridianPerResource: 18,
  source: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
} as const;

/** How many user tags a spec may carry: what a resource accepts minus the tags Meridian adds. */
export const MAX_USER_TAGS = TAGS.perResource - TAGS.meridianPerResource;

/**
 * An Aurora global database has one primary and at most 10 secondary Regions.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 */
export const AURORA_GLOBAL = {
  maxSecondaryRegions: 10,
  source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html',
} as const;

/**
 * AWS FIS quotas per experiment template. The experiment-template page states that a quota on actions
 * per template exists; Service Quotas lists it as "Actions per experiment template" (quota code
 * L-0BFE6B67), 20, not adjustable.
 * @see https://docs.aws.amazon.com/fis/latest/userguide/experiment-templates.html
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html
 */
export const FIS_QUOTAS = {
  actionsPerTemplate: 20,
  /** An experiment template's (and an action's) description: https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentTemplate.html */
  descriptionMaxLength: 512,
  source: 'https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html',
} as const;

/** `text` cut to at most `max` characters, marked with an ellipsis when cut (for generated descriptions). */
export function fitLength(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Route 53 field limits: a health-check resource path of at most 255 characters, a domain name of at
 * most 255 octets (253 characters as written without the final dot) with labels of at most 63.
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
 */
export const ROUTE53 = {
  healthCheckPathMaxLength: 255,
  domainNameMaxLength: 253,
  labelMaxLength: 63,
  healthCheckSource: 'https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html',
  domainSource: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html',
} as const;

/**
 * Longest TTL a routed record may carry, seconds: resolvers keep answering with a failed region until
 * it runs out, so it adds directly to the recovery time (the reference article's 60 s). A policy limit,
 * not an AWS one; the DNS rule judges it and the CDK DNS construct refuses more.
 */
export const MAX_ROUTED_TTL_SECONDS = 60;

/** How much of a received value error messages echo, in characters. */
export const ECHO_MAX_LENGTH = 120;
/** How many issues a SpecError message lists before "… and N more". */
export const MAX_REPORTED_ISSUES = 50;

/** `text` cut to `max` characters with an ellipsis and the original length. */
export function clip(text: string, max = ECHO_MAX_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * Automated region failover: the longest sustained-failure window Meridian accepts (one hour). Longer
 * than that and the automation is slower than the human decision it replaces (3–10 minutes, see the
 * estimator's timing table), so it would only add risk.
 */
export const AUTOMATION_MAX_SUSTAINED_SECONDS = 3600;
