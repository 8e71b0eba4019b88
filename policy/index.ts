/**
 * The platform's CrossGuard pack: `pulumi preview --policy-pack policy`. Only assembles the pack
 * (constructing a PolicyPack starts the policy server, so tests import policy/policies.ts instead).
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("platform-policy", {
    description: "AWS Foundational Security Best Practices and the platform's data-protection rules (README \"Policy pack\").",
    policies: POLICIES,
});
