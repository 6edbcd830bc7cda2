/**
 * The customer-managed KMS key of one region. Every regional resource Meridian creates (Aurora storage,
 * Performance Insights, the master-user secret, DynamoDB replicas, log groups, the alert topic) is
 * encrypted with the key of ITS OWN region; no resource is ever encrypted with another region's key.
 */
import { Arn, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KEY_DELETION_WINDOW_DAYS, MeridianValidationError, type GeoPlan, type PlannedRegion } from '../model';
import { checkKeyRegion, findRegion, removalPolicy } from './tags';

/** KMS allows a pending deletion window of 7 to 30 days. */
export const KEY_PENDING_WINDOW_DAYS = KEY_DELETION_WINDOW_DAYS;

/** Props of {@link RegionalKeys}. */
export interface RegionalKeysProps {
  /** The resolved deployment plan; the alias is `keyAlias` of the region. */
  readonly plan: GeoPlan;
  /** The region whose key this is (the stack's region); must be one of `plan.regions`. */
  readonly region: string;
  /**
   * Waiting period before KMS deletes the key once deletion is scheduled (7 to 30 days).
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
  /**
   * A key the team already has in this region, used instead of a new one. It must be a key of this
   * region (checked when its region is known). The planned alias is created for it. When it is a
   * `kms.Key` of this app, the statements below are added to its policy; an imported key's policy is
   * the team's to write, and must let the region's services use the key as described here.
   *
   * @default - a new key is created
   */
  readonly key?: kms.IKey;
}

/**
 * A customer-managed, symmetric, single-region KMS key for one region of the plan:
 *
 * - rotation on, `RETAIN` on stack deletion, a pending window (30 days unless set);
 * - the alias `keyAlias` from the plan (KMS aliases are regional, so each region has its own key
 *   under the same alias name, and other regions' stacks can name it without a cross-region reference);
 * - a key policy that keeps the account in control (the CDK default) and lets the region's services
 *   use the key on the account's behalf: RDS, DynamoDB, Secrets Manager and SNS through
 *   `kms:ViaService` = `<service>.<region>.amazonaws.com`, CloudWatch Logs through its regional
 *   service principal `logs.<region>.amazonaws.com`, limited by the `aws:logs:arn` encryption context
 *   to log groups of this account and region;
 * - a deny on `kms:CreateGrant` unless the grant is for an AWS resource or the caller is an AWS
 *   service ({@link denyGrantsExceptForAwsResources}).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export class RegionalKeys extends Construct {
  /** The region's key (created here, or the one given as `key`). */
  public readonly key: kms.IKey;
  /** The region's alias (`keyAlias` of the plan). */
  public readonly alias: kms.Alias;
  /** The planned region this key belongs to. */
  public readonly region: PlannedRegion;

  constructor(scope: Construct, id: string, props: RegionalKeysProps) {
    super(scope, id);
    const region = findRegion(props.plan, props.region, `RegionalKeys ${this.node.path}`);
    this.region = region;
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && stack.region !== region.name) {
      throw new MeridianValidationError({ construct: `RegionalKeys ${this.node.path}`, prop: 'region', value: region.name, allowed: stack.region, message: `region is ${region.name} but the stack is in ${stack.region}; a region's key must be created in that region's stack` });
    }
    const pendingWindow = props.pendingWindow ?? Duration.days(props.plan.retention.keyDeletionWindowDays);
    // integral: false so that a fractional window reaches the message below instead of Duration's own error.
    const days = pendingWindow.toDays({ integral: false });
    if (!Number.isInteger(days) || days < KEY_PENDING_WINDOW_DAYS.min || days > KEY_PENDING_WINDOW_DAYS.max) {
      throw new MeridianValidationError({ construct: `RegionalKeys ${this.node.path}`, prop: 'pendingWindow', value: days, allowed: `a whole number of days between ${KEY_PENDING_WINDOW_DAYS.min} and ${KEY_PENDING_WINDOW_DAYS.max}`, message: `pendingWindow must be a whole number of days between ${KEY_PENDING_WINDOW_DAYS.min} and ${KEY_PENDING_WINDOW_DAYS.max}, got ${Number(days.toFixed(2))}` });
    }

    if (props.key) checkKeyRegion(props.key, region.name, `RegionalKeys ${this.node.path}`, 'the data and logs');
    this.key = props.key ?? new kms.Key(this, 'Resource', {
      description: `Meridian ${props.plan.name}: encrypts the data and logs of ${region.name}; never used by another region`,
      enableKeyRotation: true,
      pendingWindow,
      removalPolicy: removalPolicy(props.plan.retention.keys),
    });
    this.alias = new kms.Alias(this, 'Alias', { aliasName: region.keyAlias, targetKey: this.key });
    this.alias.applyRemovalPolicy(removalPolicy(props.plan.retention.keys));

    const account = stack.account;
    const viaServices = ['rds', 'dynamodb', 'secretsmanager', 'sns'].map((s) => `${s}.${region.name}.amazonaws.com`);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowRegionalServicesOnBehalfOfTheAccount',
      principals: [new iam.AccountPrincipal(account)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:ViaService': viaServices, 'kms:CallerAccount': account },
      },
    }));
    denyGrantsExceptForAwsResources(this.key);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisRegion',
      principals: [new iam.ServicePrincipal(`logs.${region.name}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': Arn.format({ service: 'logs', region: region.name, account, resource: '*' }, stack),
        },
      },
    }));
  }
}

/**
 * Adds to `key`'s policy the statement that lets only AWS services create grants on it: deny
 * `kms:CreateGrant` to every principal unless the grant is for an AWS resource or the caller is an
 * AWS service (RDS, DynamoDB and Secrets Manager use grants; people and roles never need one).
 * This is the statement AWS Control Tower control CT.KMS.PR.3 asks for.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 */
export function denyGrantsExceptForAwsResources(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/**
 * The ARN of the planned key alias of `region` (`arn:<partition>:kms:<region>:<account>:alias/...`),
 * built from the plan without a cross-region reference. Use it where a service must be told the key of
 * another region (a DynamoDB replica's key): the alias resolves to that region's own key.
 *
 * @param scope any construct of the stack that uses the ARN; its partition and account are used
 *   (the account is `plan.account` when set, else the deploying account).
 */
export function regionalKeyAliasArn(scope: Construct, plan: GeoPlan, region: string): string {
  const planned = findRegion(plan, region, 'regionalKeyAliasArn');
  const stack = Stack.of(scope);
  return Arn.format({
    service: 'kms',
    region: planned.name,
    account: plan.account ?? stack.account,
    resource: 'alias',
    resourceName: planned.keyAlias.replace(/^alias\//, ''),
  }, stack);
}
