import * as aws from "@pulumi/aws";
import type { Settings } from "../config";

/**
 * The stack's one AWS provider. Every AWS resource uses it (Pulumi.yaml disables the default AWS
 * provider, so a resource that forgets it fails at preview instead of deploying untagged into
 * whatever region the shell happens to point at). Default tags reach every taggable resource.
 */
export function createProvider(settings: Settings): aws.Provider {
    return new aws.Provider(`${settings.stack}-aws`, {
        region: settings.region,
        defaultTags: { tags: settings.tags },
    });
}
