/**
 * ECR replication of a primary's release images to its recovery region (README "Disaster recovery").
 *
 * A registry (account + region) has ONE replication configuration (ECR PutReplicationConfiguration
 * replaces it whole), so exactly one stack per account and region may own it: the primary, whose
 * registry it is. Its one rule covers every repository this stack creates by their common prefix
 * `<project>/<stack>/` (PREFIX_MATCH), and nothing of another stack in the same registry.
 *
 * ECR keeps the repository name across regions ("Amazon ECR doesn't support changing the repository
 * name during replication"), so the recovery stack creates its repositories under the primary's names
 * (Releases `repositoryScope`), with its own key, immutable tags, lifecycle and protection; replication
 * writes into them instead of creating repositories with ECR's defaults (AES-256, mutable tags; ECR
 * user guide, "Templates to control repositories created during a pull through cache or replication
 * action"). Pre-creating the destination repository, KMS-encrypted, under the same name is also the
 * pattern of aws-samples/amazon-ecr-kms-replication (cross-region, same account).
 *
 * Only images pushed after the rule exists are replicated: the images prod runs at the time replication
 * is turned on must be copied once (README runbook: `crane copy`). Cost: the inter-region transfer
 * ($0.02/GB) and the copy's storage ($0.10/GB-month); the configuration itself is free.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";

/** ECR's RepositoryFilter pattern (ECR API reference, RepositoryFilter.filter; 2-256 characters). */
export const ECR_REPOSITORY_FILTER = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

export interface ImageReplicationArgs {
    /** Every repository of the stack starts with it (`repositoryPrefix()`). */
    repositoryPrefix: string;
    /** The recovery stack's region. */
    region: string;
    /** This account (cross-region replication within one registry names its own account). */
    accountId: pulumi.Input<string>;
}

/** The registry's replication configuration: this stack's repositories to the recovery region. */
export function createImageReplication(name: string, args: ImageReplicationArgs, parent: pulumi.Resource): aws.ecr.ReplicationConfiguration {
    // The prefix is `<project>/<stack>/`: config refuses project and stack names outside ECR's alphabet
    // (config/rules/stack.ts), and tests/replication.spec.ts checks it against ECR_REPOSITORY_FILTER.
    return new aws.ecr.ReplicationConfiguration(
        childName(name, "replication"),
        {
            replicationConfiguration: {
                rules: [
                    {
                        destinations: [{ region: args.region, registryId: args.accountId }],
                        repositoryFilters: [{ filter: args.repositoryPrefix, filterType: "PREFIX_MATCH" }],
                    },
                ],
            },
        },
        { parent },
    );
}
