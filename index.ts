/**
 * platform: one stack's AWS environment. Thin on purpose: validate the stack config (every problem
 * reported at once, before any resource exists), build the components, export the stack outputs.
 */
import { loadSettings } from "./config";
import { createPlatform } from "./components/platform";

const settings = loadSettings();
const platform = createPlatform(settings);

/** Which tier this stack is (dev, staging, prod). */
export const tier = settings.tier;
/** Region every resource lives in. */
export const region = settings.region;
/** VPC id. */
export const vpcId = platform.network.vpcId;
/** Public subnets (load balancer, NAT gateways). */
export const publicSubnetIds = platform.network.publicSubnetIds;
/** Private subnets (services, workers, database, cache). */
export const privateSubnetIds = platform.network.privateSubnetIds;
/** Security groups of the three tiers: load balancer → app → data. */
export const securityGroupIds = {
    loadBalancer: platform.network.loadBalancerSecurityGroupId,
    app: platform.network.appSecurityGroupId,
    data: platform.network.dataSecurityGroupId,
};
