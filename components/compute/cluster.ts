/**
 * The ECS cluster: Container Insights on, Fargate and Fargate Spot capacity providers, and a Cloud
 * Map namespace for Service Connect (internal services reachable as http://<service>:<port>).
 * Cost: the cluster is free; Container Insights bills its metrics and logs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";

export interface Cluster {
    cluster: aws.ecs.Cluster;
    namespace: aws.servicediscovery.HttpNamespace;
    /** The capacity-provider association; services using a strategy must wait for it. */
    capacityProviders: aws.ecs.ClusterCapacityProviders;
}

export function createCluster(name: string, parent: pulumi.Resource): Cluster {
    const namespace = new aws.servicediscovery.HttpNamespace(childName(name, "ns"), { description: `${name}: service-to-service names` }, { parent });
    const cluster = new aws.ecs.Cluster(
        childName(name, "cluster"),
        { settings: [{ name: "containerInsights", value: "enabled" }], serviceConnectDefaults: { namespace: namespace.arn } },
        { parent },
    );
    const capacityProviders = new aws.ecs.ClusterCapacityProviders(
        childName(name, "cluster"),
        { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"] },
        { parent },
    );
    return { cluster, namespace, capacityProviders };
}
