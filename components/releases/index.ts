/**
 * The stack's image registry and release model, shared by everything that runs an image (ECS
 * services today; Lambda workers and the DR region's replication later):
 * - one ECR repository per image (`<project>/<stack>/<image>`): immutable tags (a tag is a commit,
 *   forever), scan on push, encrypted with the data key, a lifecycle keeping the last N release
 *   images and expiring untagged layers; protected in prod like every stateful resource;
 * - the `release` model: what the stack runs per image (repository, tag, digest), always by digest;
 * - `unreleased`: images with no release pinned, with how to ship the first one.
 * Cost: ECR storage $0.10/GB-month; scanning on push is free (basic scanning).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRelease } from "../../config";
import { childName, NameScope, repositoryName } from "../naming";
import { outputRecord } from "../shared/handle";
import { statefulOptions } from "../shared/protection";

export interface RegistryArgs {
    scope: NameScope;
    /** Image names; one repository each. */
    images: string[];
    /** Tagged (release) images kept per repository. */
    keepReleases: number;
    kmsKeyArn: pulumi.Input<string>;
    /** Let `pulumi destroy` delete repositories that still hold images (dev). */
    forceDelete: boolean;
    /** Pulumi `protect` + retain-on-delete (prod): images are the only copy of what runs. */
    protectData: boolean;
}

/** The repositories, by image name. */
export interface Registry {
    repositories: Record<string, aws.ecr.Repository>;
}

/** What a stack runs, per image: exported as the `release` stack output and promoted from it. */
export type ReleaseOutput = Record<string, { repositoryUrl: string; tag: string; digest: string }>;

/** What consumers of the registry use (compute now; workers and DR later). */
export interface ReleasesHandle {
    /** ECR repository URL per image: CI pushes `<url>:<commit sha>` there. */
    repositoryUrls: pulumi.Output<Record<string, string>>;
    /** Per pinned image: repository, tag, digest. */
    release: pulumi.Output<ReleaseOutput>;
    /** Images with no release pinned yet, with how to ship the first one. */
    unreleased: Record<string, string>;
}

/** Repository `<name>-<image>` and its lifecycle policy `<name>-<image>` per image, children of `parent`. */
export function createRegistry(name: string, args: RegistryArgs, parent: pulumi.Resource): Registry {
    return {
        repositories: Object.fromEntries(
            args.images.map((image) => {
                const repo = new aws.ecr.Repository(
                    childName(name, image),
                    {
                        name: repositoryName(args.scope, image),
                        imageTagMutability: "IMMUTABLE",
                        imageScanningConfiguration: { scanOnPush: true },
                        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                        forceDelete: args.forceDelete,
                    },
                    { parent, ...statefulOptions(args.protectData) },
                );
                new aws.ecr.LifecyclePolicy(childName(name, image), { repository: repo.name, policy: JSON.stringify(lifecyclePolicy(args.keepReleases)) }, { parent });
                return [image, repo];
            }),
        ),
    };
}

/** The registry's handle for a set of pinned releases (images without a repository are left out). */
export function releasesHandle(scope: NameScope, registry: Registry, release: Record<string, ImageRelease>, images: string[]): ReleasesHandle {
    const repos = registry.repositories;
    return {
        repositoryUrls: outputRecord<string>(Object.entries(repos).map(([image, repo]) => [image, repo.repositoryUrl] as const)),
        release: outputRecord<ReleaseOutput[string]>(
            Object.entries(release).flatMap(([image, rel]) =>
                repos[image] ? [[image, pulumi.output({ repositoryUrl: repos[image].repositoryUrl, tag: rel.tag, digest: rel.digest })] as const] : [],
            ),
        ),
        unreleased: unreleasedImages(scope, images.filter((image) => !release[image])),
    };
}

/** How to ship the first image of each image with no release pinned. */
export function unreleasedImages(scope: NameScope, images: string[]): Record<string, string> {
    return Object.fromEntries(
        images.map((image) => [
            image,
            `not deployed: no release pinned. Push an image tagged with the commit SHA to ${repositoryName(scope, image)}, ` +
                `then set release.${image}.tag and .digest in Pulumi.${scope.stack}.yaml (README: "First deploy").`,
        ]),
    );
}

/** `repo@sha256:…`: what runs cannot change under a tag. */
export function imageReference(repositoryUrl: pulumi.Input<string>, release: Pick<ImageRelease, "digest">): pulumi.Output<string> {
    return pulumi.interpolate`${repositoryUrl}@${release.digest}`;
}

/** ECR lifecycle: expire untagged images after a day; keep the newest `keep` tagged (release) images. */
export function lifecyclePolicy(keep: number) {
    return {
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images (failed or superseded pushes) after 1 day",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${keep} release images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    };
}
