/**
 * Building blocks for the stack-config schema. Each field carries one "allowed" sentence that every
 * failure of that field reports, and an example used in the suggested fix, so a bad value is
 * answered with what is allowed and a command that would work.
 */
import { z } from "zod";

export interface FieldMeta {
    /** A value that would be accepted, used in the `pulumi config set` fix. */
    example: string;
}

function withMeta<T extends z.ZodType>(schema: T, example: string): T {
    return schema.meta({ example }) as T;
}

export function intIn(min: number, max: number, example = String(min)) {
    const allowed = `a whole number from ${min} to ${max}`;
    return withMeta(z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed }), example);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, example: string = values[0]) {
    return withMeta(z.enum(values, { error: `one of: ${values.join(", ")}` }), example);
}

export function numberIn<const T extends readonly [number, ...number[]]>(values: T, example = String(values[0])) {
    const allowed = `one of: ${values.join(", ")}`;
    return withMeta(
        z.number({ error: allowed }).refine((v) => (values as readonly number[]).includes(v), { error: allowed }),
        example,
    );
}

export function bool(example = "true") {
    return withMeta(z.boolean({ error: "true or false" }), example);
}

export function pattern(re: RegExp, allowed: string, example: string) {
    return withMeta(z.string({ error: allowed }).regex(re, { error: allowed }), example);
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

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
        s = s.unwrap() as z.ZodType;
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
