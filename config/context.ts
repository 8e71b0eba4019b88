/** Who is asking: the project and stack a config belongs to (resolveSettings' second argument). */
export interface ConfigContext {
    project: string;
    stack: string;
    /** `aws:region` from the stack config, when set: it must agree with `platform:region`. */
    awsRegion?: string;
}
