/**
 * The review flags of `npm run plan` (README "Review tooling"), parsed without loading the review
 * modules themselves: a plain plan stays as fast as before; plan.ts imports ./index only when asked.
 */
import { knownStacks } from "../../offline/run";

export interface ReviewOptions {
    cost: boolean;
    diagram: boolean;
    json: boolean;
    against?: string;
    againstStack?: string;
}

export const REVIEW_USAGE = "[--cost] [--diagram] [--against <git-ref> | --against-stack <stack>] [--json]";

/** Takes the review flags out of `args` (what remains is plan's own); throws a usage message on a bad flag. */
export function parseReviewArgs(args: string[]): { options: ReviewOptions; rest: string[] } {
    const options: ReviewOptions = { cost: false, diagram: false, json: false };
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--cost") options.cost = true;
        else if (a === "--diagram") options.diagram = true;
        else if (a === "--json") options.json = true;
        else if (a === "--against" || a === "--against-stack") {
            const v = args[++i];
            if (!v || v.startsWith("-")) throw new Error(`plan: ${a} needs a value`);
            if (a === "--against") options.against = v;
            else options.againstStack = v;
        } else rest.push(a);
    }
    if (options.against && options.againstStack) throw new Error("plan: give --against or --against-stack, not both");
    if (options.againstStack && !knownStacks().includes(options.againstStack)) throw new Error(`plan: unknown stack "${options.againstStack}" for --against-stack`);
    return { options, rest };
}

export function isReview(o: ReviewOptions): boolean {
    return o.cost || o.diagram || o.json || o.against !== undefined || o.againstStack !== undefined;
}
