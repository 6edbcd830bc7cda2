/**
 * The resource types the renderer declares as {@link LeanResource}: each binding with the generated
 * function it renders every nested value with (`block: false` for an attribute holding a list of objects,
 * which the binding writes among the attributes). tsc checks that every nested key of a type's config is
 * listed here; test/cdktf/lean.test.ts that each renders what its binding renders.
 *
 * Every type the renderer creates whose binding constructor made cdktf objects (and stack traces) is
 * here. The others (VPC, log groups, SNS, KMS alias, ...) create none and keep their bindings.
 */
import { listMapper } from 'cdktf';
import { CloudwatchMetricAlarm, cloudwatchMetricAlarmMetricQueryToTerraform } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import {
  FisExperimentTemplate, fisExperimentTemplateActionToTerraform, fisExperimentTemplateExperimentOptionsToTerraform,
  fisExperimentTemplateExperimentReportConfigurationToTerraform, fisExperimentTemplateLogConfigurationToTerraform,
  fisExperimentTemplateStopConditionToTerraform, fisExperimentTemplateTargetToTerraform, fisExperimentTemplateTimeoutsToTerraform,
} from '@cdktf/provider-aws/lib/fis-experiment-template';
import { FlowLog, flowLogDestinationOptionsToTerraform } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole, iamRoleInlinePolicyToTerraform } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey, kmsKeyTimeoutsToTerraform } from '@cdktf/provider-aws/lib/kms-key';
import {
  RdsCluster, rdsClusterRestoreToPointInTimeToTerraform, rdsClusterS3ImportToTerraform, rdsClusterScalingConfigurationToTerraform,
  rdsClusterServerlessv2ScalingConfigurationToTerraform, rdsClusterTimeoutsToTerraform,
} from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance, rdsClusterInstanceTimeoutsToTerraform } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup, rdsClusterParameterGroupParameterToTerraform } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { RdsGlobalCluster, rdsGlobalClusterTimeoutsToTerraform } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { Route, routeTimeoutsToTerraform } from '@cdktf/provider-aws/lib/route';
import { RouteTable, routeTableRouteToTerraform, routeTableTimeoutsToTerraform } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation, routeTableAssociationTimeoutsToTerraform } from '@cdktf/provider-aws/lib/route-table-association';
import {
  Route53Record, route53RecordAliasToTerraform, route53RecordCidrRoutingPolicyToTerraform, route53RecordFailoverRoutingPolicyToTerraform,
  route53RecordGeolocationRoutingPolicyToTerraform, route53RecordGeoproximityRoutingPolicyToTerraform, route53RecordLatencyRoutingPolicyToTerraform,
  route53RecordTimeoutsToTerraform, route53RecordWeightedRoutingPolicyToTerraform,
} from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone, route53ZoneTimeoutsToTerraform, route53ZoneVpcToTerraform } from '@cdktf/provider-aws/lib/route53-zone';
import { SecretsmanagerSecret, secretsmanagerSecretReplicaToTerraform } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup, securityGroupEgressToTerraform, securityGroupIngressToTerraform, securityGroupTimeoutsToTerraform } from '@cdktf/provider-aws/lib/security-group';
import { Subnet, subnetTimeoutsToTerraform } from '@cdktf/provider-aws/lib/subnet';
import {
  VpcPeeringConnection, vpcPeeringConnectionAccepterToTerraform, vpcPeeringConnectionRequesterToTerraform, vpcPeeringConnectionTimeoutsToTerraform,
} from '@cdktf/provider-aws/lib/vpc-peering-connection';
import {
  VpcPeeringConnectionAccepterA, vpcPeeringConnectionAccepterAccepterToTerraform, vpcPeeringConnectionAccepterRequesterToTerraform,
  vpcPeeringConnectionAccepterTimeoutsToTerraform,
} from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { leanType } from './lean';

const block = <V>(render: (value: V) => unknown) => ({ render, block: true });
const blockList = <V>(render: (value: V) => unknown) => ({ render: listMapper(render, true), block: true });
const objectList = <V>(render: (value: V) => unknown) => ({ render: listMapper(render, false), block: false });

export const CLOUDWATCH_METRIC_ALARM = leanType(CloudwatchMetricAlarm, {
  metricQuery: blockList(cloudwatchMetricAlarmMetricQueryToTerraform),
});

export const FIS_EXPERIMENT_TEMPLATE = leanType(FisExperimentTemplate, {
  action: blockList(fisExperimentTemplateActionToTerraform),
  experimentOptions: block(fisExperimentTemplateExperimentOptionsToTerraform),
  experimentReportConfiguration: block(fisExperimentTemplateExperimentReportConfigurationToTerraform),
  logConfiguration: block(fisExperimentTemplateLogConfigurationToTerraform),
  stopCondition: blockList(fisExperimentTemplateStopConditionToTerraform),
  target: blockList(fisExperimentTemplateTargetToTerraform),
  timeouts: block(fisExperimentTemplateTimeoutsToTerraform),
});

export const FLOW_LOG = leanType(FlowLog, { destinationOptions: block(flowLogDestinationOptionsToTerraform) });

export const IAM_ROLE = leanType(IamRole, { inlinePolicy: blockList(iamRoleInlinePolicyToTerraform) });

export const KMS_KEY = leanType(KmsKey, { timeouts: block(kmsKeyTimeoutsToTerraform) });

export const RDS_CLUSTER = leanType(RdsCluster, {
  restoreToPointInTime: block(rdsClusterRestoreToPointInTimeToTerraform),
  s3Import: block(rdsClusterS3ImportToTerraform),
  scalingConfiguration: block(rdsClusterScalingConfigurationToTerraform),
  serverlessv2ScalingConfiguration: block(rdsClusterServerlessv2ScalingConfigurationToTerraform),
  timeouts: block(rdsClusterTimeoutsToTerraform),
});

export const RDS_CLUSTER_INSTANCE = leanType(RdsClusterInstance, { timeouts: block(rdsClusterInstanceTimeoutsToTerraform) });

export const RDS_CLUSTER_PARAMETER_GROUP = leanType(RdsClusterParameterGroup, { parameter: blockList(rdsClusterParameterGroupParameterToTerraform) });

export const RDS_GLOBAL_CLUSTER = leanType(RdsGlobalCluster, { timeouts: block(rdsGlobalClusterTimeoutsToTerraform) });

export const ROUTE = leanType(Route, { timeouts: block(routeTimeoutsToTerraform) });

export const ROUTE_TABLE = leanType(RouteTable, {
  route: objectList(routeTableRouteToTerraform),
  timeouts: block(routeTableTimeoutsToTerraform),
});

export const ROUTE_TABLE_ASSOCIATION = leanType(RouteTableAssociation, { timeouts: block(routeTableAssociationTimeoutsToTerraform) });

export const ROUTE53_RECORD = leanType(Route53Record, {
  alias: block(route53RecordAliasToTerraform),
  cidrRoutingPolicy: block(route53RecordCidrRoutingPolicyToTerraform),
  failoverRoutingPolicy: block(route53RecordFailoverRoutingPolicyToTerraform),
  geolocationRoutingPolicy: block(route53RecordGeolocationRoutingPolicyToTerraform),
  geoproximityRoutingPolicy: block(route53RecordGeoproximityRoutingPolicyToTerraform),
  latencyRoutingPolicy: block(route53RecordLatencyRoutingPolicyToTerraform),
  timeouts: block(route53RecordTimeoutsToTerraform),
  weightedRoutingPolicy: block(route53RecordWeightedRoutingPolicyToTerraform),
});

export const ROUTE53_ZONE = leanType(Route53Zone, {
  timeouts: block(route53ZoneTimeoutsToTerraform),
  vpc: blockList(route53ZoneVpcToTerraform),
});

export const SECRETSMANAGER_SECRET = leanType(SecretsmanagerSecret, { replica: blockList(secretsmanagerSecretReplicaToTerraform) });

export const SECURITY_GROUP = leanType(SecurityGroup, {
  egress: objectList(securityGroupEgressToTerraform),
  ingress: objectList(securityGroupIngressToTerraform),
  timeouts: block(securityGroupTimeoutsToTerraform),
});

export const SUBNET = leanType(Subnet, { timeouts: block(subnetTimeoutsToTerraform) });

export const VPC_PEERING_CONNECTION = leanType(VpcPeeringConnection, {
  accepter: block(vpcPeeringConnectionAccepterToTerraform),
  requester: block(vpcPeeringConnectionRequesterToTerraform),
  timeouts: block(vpcPeeringConnectionTimeoutsToTerraform),
});

export const VPC_PEERING_CONNECTION_ACCEPTER = leanType(VpcPeeringConnectionAccepterA, {
  accepter: block(vpcPeeringConnectionAccepterAccepterToTerraform),
  requester: block(vpcPeeringConnectionAccepterRequesterToTerraform),
  timeouts: block(vpcPeeringConnectionAccepterTimeoutsToTerraform),
});

/** No nested config; its binding creates a `StringMap` for the computed `tags_all`. */
export const VPC_SECURITY_GROUP_INGRESS_RULE = leanType(VpcSecurityGroupIngressRule, {});
