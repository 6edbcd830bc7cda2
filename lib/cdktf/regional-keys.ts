import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { MeridianValidationError } from '../model/errors';
import { KEY_DELETION_WINDOW_DAYS } from '../model/plan-data';
import type { PlannedRemoval } from '../model/plan-types';
import { arn, policyDocument, preventDestroy, type AccountContext, type PolicyStatement } from './common';
import { LeanResource } from './lean';
import { KMS_KEY } from './lean-types';

/** Services that encrypt through a regional key on the caller's behalf (`kms:ViaService`). */
export const KEY_VIA_SERVICES = ['dynamodb', 'rds', 'secretsmanager', 'sns'] as const;

/** A service that may use a regional key on the caller's behalf. */
export type KeyViaService = (typeof KEY_VIA_SERVICES)[number];

export interface RegionalKeyProps {
  /** Region the key lives in; every resource it protects lives in the same region. */
  readonly region: string;
  /** Alias, `alias/...`, from the plan. */
  readonly alias: string;
  /** Key description. */
  readonly description: string;
  readonly account: AccountContext;
  /**
   * Log-group name prefixes CloudWatch Logs may encrypt with this key (`kms:EncryptionContext:aws:logs:arn`).
   * @default - CloudWatch Logs is not granted use of the key
   */
  readonly logGroupPrefixes?: readonly string[];
  /**
   * Services that may use the key on the account's behalf (`kms:ViaService` in this region); list only
   * those whose resources the key encrypts.
   * @default KEY_VIA_SERVICES (DynamoDB, RDS, Secrets Manager, SNS)
   */
  readonly viaServices?: readonly KeyViaService[];
  /**
   * Let CloudWatch alarms publish to SNS topics encrypted with this key.
   * @default true
   */
  readonly allowCloudWatchAlarms?: boolean;
  /**
   * Waiting period before the key is deleted, in days (KMS allows 7 to 30).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /** What `terraform destroy` does to the key and its alias (`plan.retention.keys`). */
  readonly removal: PlannedRemoval;
  readonly tags: Record<string, string>;
}

/**
 * A customer-managed, single-region KMS key with rotation on, an alias, and a key policy that lets the
 * account administer it and lets the region's own services (RDS, DynamoDB, Secrets Manager, SNS,
 * CloudWatch Logs, CloudWatch alarms) use it. Never multi-Region: each region owns its key.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-services.html
 */
export class RegionalKey extends Construct {
  public readonly key: LeanResource<typeof KmsKey>;
  public readonly alias: KmsAlias;
  public readonly region: string;

  constructor(scope: Construct, id: string, props: RegionalKeyProps) {
    super(scope, id);
    const window = props.deletionWindowInDays ?? KEY_DELETION_WINDOW_DAYS.max;
    if (props.viaServices && props.viaServices.length === 0) {
      throw new MeridianValidationError({ construct: this.node.path, prop: 'viaServices', value: props.viaServices, allowed: `at least one of ${KEY_VIA_SERVICES.join(', ')}`, message: `viaServices must name at least one of ${KEY_VIA_SERVICES.join(', ')}, got none` });
    }
    if (window < KEY_DELETION_WINDOW_DAYS.min || window > KEY_DELETION_WINDOW_DAYS.max) {
      throw new MeridianValidationError({ construct: `RegionalKey ${this.node.path}`, prop: 'deletionWindowInDays', value: window, allowed: `between ${KEY_DELETION_WINDOW_DAYS.min} and ${KEY_DELETION_WINDOW_DAYS.max}` });
    }
    this.region = props.region;
    const { account, region } = props;
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:${account.partition}:iam::${account.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'RegionalServicesUseKey',
        Effect: 'Allow',
        // The account (so IAM policies still decide who), and only through this region's services.
        Principal: { AWS: `arn:${account.partition}:iam::${account.accountId}:root` },
        Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': account.accountId,
            'kms:ViaService': [...new Set(props.viaServices ?? KEY_VIA_SERVICES)].sort().map((s) => `${s}.${region}.amazonaws.com`),
          },
        },
      },
    ];
    const prefixes = [...(props.logGroupPrefixes ?? [])].sort();
    if (prefixes.length > 0) {
      statements.push({
        Sid: 'CloudWatchLogsUseKey',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': prefixes.map((p) => arn(account, 'logs', region, `log-group:${p}*`)) },
        },
      });
    }
    if (props.allowCloudWatchAlarms ?? true) {
      statements.push({
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } },
      });
    }
    this.key = new LeanResource(this, 'Resource', KMS_KEY, {
      region,
      description: props.description,
      enableKeyRotation: true,
      multiRegion: false,
      deletionWindowInDays: window,
      policy: policyDocument(statements),
      tags: props.tags,
      lifecycle: { preventDestroy: preventDestroy(props.removal) },
    });
    this.alias = new KmsAlias(this, 'Alias', {
      region, name: props.alias, targetKeyId: this.key.attr('keyId'), lifecycle: { preventDestroy: preventDestroy(props.removal) },
    });
  }

  /**
   * ARN of the key (what RDS, DynamoDB, SNS and CloudWatch Logs are given). Read once: every read of a
   * cdktf attribute makes a new token, each with its creation stack trace.
   */
  public get arn(): string {
    return this.key.attr('arn');
  }
}
