/**
 * Building blocks for the stack-config schema. Each field carries one "allowed" sentence that every
 * failure of that field reports, and an example used in the suggested fix, so a bad value is
 * answered with what is allowed and a command that would work.
 */
import { z } from "zod";

export interface FieldMeta {
    /** A value that would be accepted, used in the `pulumi config set` fix. */
    example: string;
    /** The one sentence every failure of this field reports. */
    allowed: string;
    /** The field holds text: a fix whose example looks like a number or boolean needs `--type string`. */
    text?: boolean;
}

export function withMeta<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
    return schema.meta({ ...meta }) as T;
}

export function intIn(min: number, max: number, example = String(min)) {
    const allowed = `a whole number from ${min} to ${max}`;
    return withMeta(z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed }), { example, allowed });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, example: string = values[0]) {
    const allowed = `one of: ${values.join(", ")}`;
    return withMeta(z.enum(values, { error: allowed }), { example, allowed, text: true });
}

export function numberIn<const T extends readonly [number, ...number[]]>(values: T, example = String(values[0])) {
    const allowed = `one of: ${values.join(", ")}`;
    return withMeta(
        z.number({ error: allowed }).refine((v) => (values as readonly number[]).includes(v), { error: allowed }),
        { example, allowed },
    );
}

export function bool(example = "true") {
    return withMeta(z.boolean({ error: "true or false" }), { example, allowed: "true or false" });
}

export function pattern(re: RegExp, allowed: string, example: string) {
    return withMeta(z.string({ error: allowed }).regex(re, { error: allowed }), { example, allowed, text: true });
}

/** A string checked by `problem` (which returns why a value is refused, or undefined). */
export function checkedText(allowed: string, example: string, problem: (v: string) => string | undefined) {
    return withMeta(
        z.string({ error: allowed }).superRefine((v, ctx) => {
            const why = problem(v);
            if (why) ctx.addIssue({ code: "custom", message: `${allowed}; this one ${why}` });
        }),
        { example, allowed, text: true },
    );
}

/**
 * The "allowed" sentence for any schema: the field's own, else one built from its shape, so no
 * validator wording ("Invalid input: expected object, received string") ever reaches the user.
 */
export function allowedFor(schema: z.ZodType | undefined): string {
    const s = unwrap(schema);
    const meta = s?.meta() as Partial<FieldMeta> | undefined;
    if (meta?.allowed) return meta.allowed;
    if (s instanceof z.ZodObject) return `an object with the fields: ${Object.keys(s.shape).join(", ")}`;
    if (s instanceof z.ZodArray) return `a list, each item ${allowedFor(s.element as z.ZodType)}`;
    if (s instanceof z.ZodRecord) return `a map of names to values, each ${allowedFor(s.valueType as z.ZodType)}`;
    return "a value of the documented type (see Pulumi.yaml)";
}

/** True when the schema at this place holds text (fixes then quote numbers with --type string). */
export function isTextField(schema: z.ZodType | undefined): boolean {
    const s = unwrap(schema);
    return Boolean((s?.meta() as Partial<FieldMeta> | undefined)?.text) || s instanceof z.ZodString || s instanceof z.ZodEnum;
}

/** Messages zod writes itself; they never reach the user (allowedFor replaces them). */
export function isValidatorWording(message: string): boolean {
    return /^(Invalid|Too (big|small)|Expected|Unrecognized)|expected .+, received/.test(message);
}

/** Walk a schema along a config path (objects, records, optionals) to the field schema there. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
    let current: z.ZodType | undefined = schema;
    for (const step of path) {
        current = unwrap(current);
        if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(step)];
        else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
        else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
        else return undefined;
        if (current === undefined) return undefined;
    }
    return unwrap(current);
}

export function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault || s instanceof z.ZodPipe) {
        s = (s instanceof z.ZodPipe ? s.out : s.unwrap()) as z.ZodType;
    }
    return s;
}

export function exampleFor(schema: z.ZodType | undefined): string | undefined {
    const meta = schema?.meta() as Partial<FieldMeta> | undefined;
    return meta?.example;
}

/** The keys an object schema at `path` accepts, for "unknown key" messages. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    const s = schemaAt(schema, path);
    return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Read a nested value out of plain config data (for reporting the value a user wrote). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
    let current: unknown = data;
    for (const step of path) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<PropertyKey, unknown>)[step];
    }
    return current;
}
