/**
 * Every policy of the pack, by domain. A new component's policies go in policy/<area>.ts and join
 * this list with one line; README "Policy pack" explains the steps.
 */
import { computePolicies } from "./compute";
import { dataPolicies } from "./data";
import { edgePolicies } from "./edge";
import { iamPolicies } from "./iam";
import type { PlatformPolicy } from "./lib";
import { monitoringPolicies } from "./monitoring";
import { exposurePolicies, networkPolicies } from "./network";
import { releasePolicies } from "./releases";
import { workerPolicies } from "./workers";

export const POLICY_DOMAINS = {
    network: [...networkPolicies, ...exposurePolicies],
    data: dataPolicies,
    releases: releasePolicies,
    compute: computePolicies,
    workers: workerPolicies,
    iam: iamPolicies,
    edge: edgePolicies,
    monitoring: monitoringPolicies,
} satisfies Record<string, PlatformPolicy[]>;

export const POLICIES: PlatformPolicy[] = Object.values(POLICY_DOMAINS).flat();
