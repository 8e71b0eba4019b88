/**
 * Every policy of the pack, by domain. A new component's policies go in policy/<area>.ts (edge,
 * monitoring, …) and join this list with one line; README "Policy pack" explains the steps.
 */
import { computePolicies } from "./compute";
import { dataPolicies } from "./data";
import { iamPolicies } from "./iam";
import type { PlatformPolicy } from "./lib";
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
} satisfies Record<string, PlatformPolicy[]>;

export const POLICIES: PlatformPolicy[] = Object.values(POLICY_DOMAINS).flat();
