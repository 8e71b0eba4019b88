import * as assert from "node:assert/strict";
import { ofType, one, stackRun, TIER_STACKS } from "./helpers";

/**
 * Hardening inputs the components set that no other spec pins: each is a line a refactoring could drop
 * without any other test noticing. Expected values come from the FSBP controls and the README.
 */
describe("hardening inputs on the synthesized resources", () => {
    for (const stack of TIER_STACKS) {
        describe(stack, () => {
            it("the load balancer mitigates HTTP desync (FSBP ELB.12: defensive or strictest)", async () => {
                const lb = one(await stackRun(stack), "aws:lb/loadBalancer:LoadBalancer");
                assert.ok(["defensive", "strictest"].includes(lb.inputs.desyncMitigationMode), `${stack}: desyncMitigationMode = ${lb.inputs.desyncMitigationMode}`);
            });

            it("flow logs aggregate every 60 s (README: 60 s aggregation)", async () => {
                const flow = one(await stackRun(stack), "aws:ec2/flowLog:FlowLog");
                assert.equal(flow.inputs.maxAggregationInterval, 60, `${stack}: flow log maxAggregationInterval`);
            });

            it("every security group revokes its rules on delete, so groups that reference each other can be deleted", async () => {
                const run = await stackRun(stack);
                const groups = ofType(run, "aws:ec2/securityGroup:SecurityGroup");
                const nat = ofType(run, "aws:ec2/instance:Instance").length; // dev: the NAT instance's group
                assert.equal(groups.length, 5 + nat, `${stack}: the lb, app and data security groups, one per VPC worker (api-fn, cleanup), and the NAT instance's`);
                for (const g of groups) assert.equal(g.inputs.revokeRulesOnDelete, true, `${stack}: ${g.name}.revokeRulesOnDelete`);
            });

            it("the KMS-encrypted uploads bucket uses an S3 bucket key (one KMS request per bucket key, not per object)", async () => {
                const run = await stackRun(stack);
                const sse = ofType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((r) =>
                    r.name.endsWith("-uploads"),
                );
                assert.ok(sse, `${stack}: uploads bucket encryption`);
                assert.equal(sse.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms", `${stack}: uploads sseAlgorithm`);
                assert.equal(sse.inputs.rules[0].bucketKeyEnabled, true, `${stack}: uploads bucketKeyEnabled`);
            });

            it("services tag their tasks for cost attribution and rebalance tasks across AZs", async () => {
                const services = ofType(await stackRun(stack), "aws:ecs/service:Service");
                assert.ok(services.length >= 2, `${stack}: services`);
                for (const s of services) {
                    assert.equal(s.inputs.propagateTags, "SERVICE", `${stack}: ${s.name}.propagateTags`);
                    assert.equal(s.inputs.enableEcsManagedTags, true, `${stack}: ${s.name}.enableEcsManagedTags`);
                    assert.equal(s.inputs.availabilityZoneRebalancing, "ENABLED", `${stack}: ${s.name}.availabilityZoneRebalancing`);
                }
            });

            it("every container runs an init process (signals reach the app, zombies are reaped) and gets 30 s to stop", async () => {
                for (const td of ofType(await stackRun(stack), "aws:ecs/taskDefinition:TaskDefinition")) {
                    for (const c of JSON.parse(td.inputs.containerDefinitions) as Array<Record<string, any>>) {
                        assert.equal(c.linuxParameters?.initProcessEnabled, true, `${stack}: ${td.name}/${c.name} initProcessEnabled`);
                        assert.equal(c.stopTimeout, 30, `${stack}: ${td.name}/${c.name} stopTimeout`);
                    }
                }
            });
        });
    }
});
