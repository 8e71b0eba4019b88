/**
 * The stack's image registry and release model, shared by everything that runs an image (ECS
 * services and Lambda workers; the recovery region through ECR replication, replication.ts):
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
import { childName, NameScope, repositoryName, repositoryPrefix } from "../naming";
import { createImageReplication } from "./replication";
import type { DataHandle } from "../data";
import { outputRecord, pickHandle } from "../shared/handle";
import { policyDocument } from "../shared/iam";
import { statefulOptions } from "../shared/protection";

export interface ReleasesArgs {
    scope: NameScope;
    /** Image names (services and workers); one repository each. */
    images: string[];
    /**
     * Images Lambda runs (the workers'): their repositories let this account's Lambda functions pull
     * (so Lambda does not rewrite the policy at CreateFunction). @default - none
     */
    lambdaImages?: string[];
    /** What the stack runs, per image (the `release` config block). */
    release: Record<string, ImageRelease>;
    /** Tagged (release) images kept per repository. */
    keepReleases: number;
    /** The data key encrypts the images. */
    data: Pick<DataHandle, "keys">;
    /** Let `pulumi destroy` delete repositories that still hold images (dev). */
    forceDelete: boolean;
    /** Pulumi `protect` + retain-on-delete (prod): images are the only copy of what runs. */
    protectData: boolean;
    /**
     * The component these resources were children of before this one existed (name and type), so
     * they carry `aliases` and moving them replaced nothing; `images`: the ones that were (services). @default - no aliases
     */
    formerParent?: { name: string; type: string; images: string[] };
    /**
     * The names the repositories carry (`<project>/<stack>/<image>`). A recovery stack passes its
     * primary's: ECR replication keeps repository names across regions, so the copies land in the
     * repositories this stack creates (replication.ts). @default - `scope`
     */
    repositoryScope?: NameScope;
    /**
     * Replicate every repository of this stack to a recovery region (the registry's one replication
     * configuration: replication.ts). @default - none
     */
    replicateTo?: { region: string };
}

/** One image's repository, as consumers use it: push/pull URL and the ARN their roles name. */
export interface Repository {
    url: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/** What a stack runs, per image: exported as the `release` stack output and promoted from it. */
export type ReleaseOutput = Record<string, { repositoryUrl: string; tag: string; digest: string }>;

/** What consumers of the registry use (compute, workers) and the stack outputs show. */
export interface ReleasesHandle {
    /** Per image: its repository. */
    repositories: Record<string, Repository>;
    /** ECR repository URL per image: CI pushes `<url>:<commit sha>` there. */
    repositoryUrls: pulumi.Output<Record<string, string>>;
    /** Per pinned image: repository, tag, digest. */
    release: pulumi.Output<ReleaseOutput>;
    /** Images with no release pinned yet, with how to ship the first one. */
    unreleased: Record<string, string>;
}

const HANDLE: Record<keyof ReleasesHandle, true> = { repositories: true, repositoryUrls: true, release: true, unreleased: true };

/**
 * The stack's image registry: a repository and lifecycle policy per image (`<name>-<image>`), and
 * what the stack runs from them. Its own component so every runner of images (services, workers, the
 * DR region's replication) takes the same repositories and release model from one handle.
 */
/** Whose names the repositories carry: `repositoryScope` (a recovery stack's: its primary's), else the stack's own. */
function repositoryScopeOf(args: ReleasesArgs): NameScope {
    return args.repositoryScope ?? args.scope;
}

export class Releases extends pulumi.ComponentResource implements ReleasesHandle {
    readonly repositories: Record<string, Repository>;
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    readonly release: pulumi.Output<ReleaseOutput>;
    readonly unreleased: Record<string, string>;

    constructor(name: string, args: ReleasesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:releases:Releases", name, {}, opts);

        const repos = Object.fromEntries(args.images.map((image) => [image, this.createRepository(name, image, args)] as const));
        const lambdaImages = (args.lambdaImages ?? []).filter((image) => repos[image]);
        const needsAccount = lambdaImages.length > 0 || args.replicateTo !== undefined;
        const accountId = needsAccount ? aws.getCallerIdentityOutput({}, { parent: this }).accountId : undefined;
        if (args.replicateTo && accountId) {
            createImageReplication(name, { repositoryPrefix: repositoryPrefix(repositoryScopeOf(args)), region: args.replicateTo.region, accountId }, this);
        }
        if (lambdaImages.length > 0 && accountId) {
            for (const image of lambdaImages) {
                new aws.ecr.RepositoryPolicy(childName(name, image), { repository: repos[image].name, policy: lambdaPullPolicy(accountId) }, { parent: this });
            }
        }

        this.repositories = Object.fromEntries(Object.entries(repos).map(([image, repo]) => [image, { url: repo.repositoryUrl, arn: repo.arn }]));
        this.repositoryUrls = outputRecord<string>(Object.entries(repos).map(([image, repo]) => [image, repo.repositoryUrl] as const));
        this.release = outputRecord<ReleaseOutput[string]>(
            Object.entries(args.release).flatMap(([image, rel]) =>
                repos[image] ? [[image, pulumi.output({ repositoryUrl: repos[image].repositoryUrl, tag: rel.tag, digest: rel.digest })] as const] : [],
            ),
        );
        this.unreleased = unreleasedImages(repositoryScopeOf(args), args.images.filter((image) => !args.release[image]), args.scope.stack);
        for (const [image, message] of Object.entries(this.unreleased)) pulumi.log.info(`image ${image} ${message}`, this);

        this.registerOutputs(pickHandle<ReleasesHandle>(this, HANDLE));
    }

    private createRepository(name: string, image: string, args: ReleasesArgs): aws.ecr.Repository {
        const logical = childName(name, image);
        const aliases = (role: string) =>
            args.formerParent?.images.includes(image) ? [{ name: childName(args.formerParent.name, role), parent: pulumi.createUrn(args.formerParent.name, args.formerParent.type) }] : undefined;
        const repo = new aws.ecr.Repository(
            logical,
            {
                name: repositoryName(repositoryScopeOf(args), image),
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.data.keys.dataArn }],
                forceDelete: args.forceDelete,
            },
            { parent: this, aliases: aliases(image), ...statefulOptions(args.protectData) },
        );
        new aws.ecr.LifecyclePolicy(
            logical,
            { repository: repo.name, policy: JSON.stringify(lifecyclePolicy(args.keepReleases)) },
            { parent: this, aliases: aliases(image) },
        );
        return repo;
    }
}

/**
 * The repository policy Lambda needs to pull a container image: the statement Lambda would add itself
 * at CreateFunction (LambdaECRImageRetrievalPolicy), limited to this account's functions.
 */
export function lambdaPullPolicy(accountId: pulumi.Input<string>): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "LambdaECRImageRetrievalPolicy",
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resource: "*",
            Condition: { StringLike: { "aws:sourceArn": pulumi.interpolate`arn:aws:lambda:*:${accountId}:function:*` } },
        },
    ]);
}

/** How to ship the first image of each image with no release pinned (`stack`: the stack file to edit; default the scope's). */
export function unreleasedImages(scope: NameScope, images: string[], stack: string = scope.stack): Record<string, string> {
    return Object.fromEntries(
        images.map((image) => [
            image,
            `not deployed: no release pinned. Push an image tagged with the commit SHA to ${repositoryName(scope, image)}, ` +
                `then set release.${image}.tag and .digest in Pulumi.${stack}.yaml (README: "First deploy").`,
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
