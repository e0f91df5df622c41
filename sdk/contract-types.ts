/**
 * The SDK's argument and output types, derived from the provider's contract types
 * (provider/<kind>/types.ts), which hold each property's doc comment: homomorphic mapped types
 * keep every property's declaration, so editors show the contract's comment on each argument
 * and output, and a property added to a contract reaches the SDK, the plugin's schema
 * (scripts/gen-schema.ts) and both servings' docs at once.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A declared value as a program may give it: a `pulumi.Input` at every depth, arrays' items and objects' properties included. */
export type DeepInput<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? pulumi.Input<DeepInput<E>>[]
    : { -readonly [K in keyof T]: pulumi.Input<DeepInput<NonNullable<T[K]>>> };

/** A contract's inputs as a resource's arguments: each a `pulumi.Input`, optional where the contract says. */
export type InputsOf<T> = { -readonly [K in keyof T]: pulumi.Input<DeepInput<NonNullable<T[K]>>> };

/**
 * A contract's outputs as a resource's properties: each a `pulumi.Output` (of `undefined` too
 * where Google may leave the field out), bookkeeping (`__` keys, Pulumi's internal ones) left out.
 */
export type OutputsOf<T> = { readonly [K in keyof T as K extends `__${string}` ? never : K]-?: pulumi.Output<T[K]> };
