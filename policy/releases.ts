/** Releases: the image registry (components/releases/). */
import { ownersWithout, publicAllows, resourcePolicy, stackPolicy } from "./lib";

const REPOSITORY = "aws:ecr/repository:Repository";

export const releasePolicies = [
    resourcePolicy(
        { name: "ecr-scan-on-push", control: "ECR.1", summary: "Repositories scan images on push.", level: "mandatory", remediation: "not configurable: components/releases/index.ts sets scanOnPush.", types: [REPOSITORY] },
        (p) => (p.imageScanningConfiguration?.scanOnPush === true ? [] : ["imageScanningConfiguration.scanOnPush is not true."]),
    ),
    resourcePolicy(
        { name: "ecr-immutable-tags", control: "ECR.2", summary: "Image tags are immutable (a commit SHA names one image forever).", level: "mandatory", remediation: "not configurable: components/releases/index.ts sets imageTagMutability IMMUTABLE.", types: [REPOSITORY] },
        (p) => (p.imageTagMutability === "IMMUTABLE" ? [] : [`imageTagMutability is ${p.imageTagMutability ?? "MUTABLE (default)"}.`]),
    ),
    stackPolicy(
        { name: "ecr-lifecycle-policy", control: "ECR.3", summary: "Every repository has a lifecycle policy.", level: "advisory", remediation: "compute.keepReleases (components/releases/index.ts writes the policy).", types: [REPOSITORY, "aws:ecr/lifecyclePolicy:LifecyclePolicy"] },
        (args) => ownersWithout(args, REPOSITORY, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "repository").map((r) => ({ message: `repository ${r.name} has no lifecycle policy.`, resource: r })),
    ),
    resourcePolicy(
        { name: "ecr-kms-encryption", control: "CKV_AWS_136", summary: "Repositories encrypt images with a KMS key.", level: "advisory", remediation: "not configurable: components/releases/index.ts uses the data key.", types: [REPOSITORY] },
        (p) => ((p.encryptionConfigurations ?? []).some((e: any) => e.encryptionType === "KMS") ? [] : ["no KMS encryption configuration."]),
    ),
    resourcePolicy(
        { name: "ecr-no-public-policy", control: "CKV_AWS_32", summary: "No repository policy lets everyone pull or push.", level: "mandatory", remediation: "not configurable: components/releases/index.ts grants the Lambda service with an aws:sourceArn condition.", types: ["aws:ecr/repositoryPolicy:RepositoryPolicy"] },
        (p) => publicAllows(p.policy).map((s) => `statement ${s.Sid ?? "(no Sid)"} allows everyone without a condition.`),
    ),
];
