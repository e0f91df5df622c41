/**
 * Moving a stack of the TypeScript classes (ChatSpace, ChatMembership, ChatSpaceMembers, served
 * by Pulumi's dynamic-provider host) to the provider plugin's types, with no call to Google: both
 * serve the same provider code, so a dynamic resource's state is the plugin resource's state.
 *
 * 1. {@link migrationImportFile}: from the stack's state (`pulumi stack export`), one
 *    `pulumi import --file` entry per managed resource: the plugin's type token, the same name and
 *    parent, the same id, the inputs the program declared and the outputs as last recorded. An
 *    entry with outputs is imported from them, with no Read (pulumi/pulumi
 *    pkg/resource/deploy/step.go `ImportStep.Apply`): the provider is asked to Check them, never
 *    to Create, Read, Update or Delete.
 * 2. {@link forgetPlan}: once imported, the dynamic entries to remove from the state (`pulumi
 *    state delete`, which calls no provider): each one only when the plugin resource that takes
 *    its place is in the state with its id and its declaration. Their Delete never runs.
 *
 * Pure: the state in, the plan out.
 */
import { isSecretValue } from "../../provider/core/engine-values";
import { urnParts } from "../../provider/core/urn";
import { inputPropertiesOf } from "../../provider/plugin/package-schema";
import { DYNAMIC_PROVIDER_TYPE, dynamicToken, kindOfToken, RESOURCES, type ResourceKind } from "../../provider/tokens";
import type { ImportFile, ImportSpec } from "../import/file";

/** A resource of `pulumi stack export` (pulumi/pulumi sdk/go/common/apitype `ResourceV3`): the fields read here. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly parent?: string;
  readonly provider?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly external?: boolean;
  readonly delete?: boolean;
  readonly protect?: boolean;
}

/** What `pulumi stack export` prints: the fields read here. */
export interface StackExport {
  readonly deployment?: {
    readonly resources?: readonly StateResource[];
    readonly pending_operations?: readonly { readonly resource: StateResource; readonly type: string }[];
  };
}

/** The dynamic provider's own bookkeeping in a resource's state: the serialized provider; never the plugin's. */
const DYNAMIC_ONLY_OUTPUTS = ["__provider"];

/** The type of the stack resource, every URN's root. */
const STACK_TYPE = "pulumi:pulumi:Stack";

/** A resource's name: the last part of its URN. */
export const nameOfUrn = (urn: string): string => urnParts(urn).name;

/** The kind of this package's dynamic resource `resource` is, if it is one. */
export function dynamicKindOf(resource: Pick<StateResource, "type" | "custom">): ResourceKind | undefined {
  const kind = kindOfToken(resource.type);
  return resource.custom && kind && resource.type === dynamicToken(kind) ? kind : undefined;
}

/**
 * The URN the plugin resource that takes the place of `urn` gets: the same stack, project, parents
 * and name, every dynamic type token of the chain (the resource's, its parents') the plugin's.
 */
export function pluginUrnOf(urn: string): string {
  const { prefix, types, name } = urnParts(urn);
  const mapped = types.map((type) => {
    const kind = kindOfToken(type);
    return kind && type === dynamicToken(kind) ? RESOURCES[kind].plugin : type;
  });
  return `${prefix}::${mapped.join("$")}::${name}`;
}

/** A dynamic resource's inputs as the plugin's: the schema's input properties only (no `__provider`, `__urn`, `__organization`). */
export function pluginInputsOf(kind: ResourceKind, inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  const declared = new Set(inputPropertiesOf(RESOURCES[kind].plugin));
  return Object.fromEntries(Object.entries(inputs ?? {}).filter(([key]) => declared.has(key)));
}

/** A dynamic resource's outputs as the plugin's: all of them but the dynamic provider's bookkeeping. */
function pluginOutputsOf(outputs: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs ?? {}).filter(([key]) => !DYNAMIC_ONLY_OUTPUTS.includes(key)));
}

/** Why a resource of the stack can't be moved now, and what to do. */
export interface Refusal {
  readonly urn: string;
  readonly reason: string;
}

/** The import file that moves a stack, and what it leaves out. */
export interface StackMigration {
  readonly file: ImportFile;
  /** Resources the state only reads (`ChatSpace.get`): nothing to adopt; declare them again as reads in the new program. */
  readonly reads: string[];
  /** Resources that can't be moved until the state is settled; when any, write no file. */
  readonly refused: Refusal[];
}

/** The import file that moves every managed dynamic resource of this package in `state` to the plugin's types. */
export function migrationImportFile(state: StackExport): StackMigration {
  const resources = state.deployment?.resources ?? [];
  const pending = new Map((state.deployment?.pending_operations ?? []).map((op) => [op.resource.urn, op.type]));
  const own = resources.filter((r) => dynamicKindOf(r) !== undefined);
  const refused: Refusal[] = [];
  for (const r of own) {
    if (r.delete)
      refused.push({
        urn: r.urn,
        reason: "is waiting to be deleted (a replacement the last update did not finish): run `pulumi up` of the TypeScript program first",
      });
    const operation = pending.get(r.urn);
    if (operation)
      refused.push({
        urn: r.urn,
        reason: `has a pending ${operation} operation (an interrupted update): run \`pulumi refresh\` of the TypeScript program first`,
      });
  }
  const managed = own.filter((r) => !r.external && !r.delete);
  const reads = own.filter((r) => r.external).map((r) => r.urn);

  const taken = new Set<string>();
  const unique = (base: string, kind?: ResourceKind) => {
    let name = taken.has(base) && kind ? `${base}-${kind}` : base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${kind ?? "parent"}-${n}`;
    taken.add(name);
    return name;
  };
  const specNames = new Map<string, string>();
  const nameTable: Record<string, string> = {};
  const parentNames = new Map<string, string>();
  const specs: ImportSpec[] = [];
  for (const r of managed) specNames.set(r.urn, unique(nameOfUrn(r.urn), dynamicKindOf(r)));
  const parentName = (urn: string | undefined): string | undefined => {
    if (urn === undefined || urnParts(urn).types.at(-1) === STACK_TYPE) return undefined;
    const migrated = specNames.get(urn);
    if (migrated) return migrated;
    let name = parentNames.get(urn);
    if (!name) {
      name = unique(nameOfUrn(urn));
      parentNames.set(urn, name);
      nameTable[name] = urn;
    }
    return name;
  };
  for (const r of managed) {
    const kind = dynamicKindOf(r)!;
    const name = specNames.get(r.urn)!;
    const logical = nameOfUrn(r.urn);
    const parent = parentName(r.parent);
    specs.push({
      type: RESOURCES[kind].plugin,
      name,
      ...(name !== logical ? { logicalName: logical } : {}),
      id: r.id ?? "",
      ...(parent ? { parent } : {}),
      inputs: pluginInputsOf(kind, r.inputs),
      outputs: pluginOutputsOf(r.outputs),
    });
  }
  const file: ImportFile = Object.keys(nameTable).length > 0 ? { nameTable, resources: specs } : { resources: specs };
  return { file, reads, refused };
}

/** The entries `pulumi state delete` removes once the plugin resources are in, and those it keeps, saying why. */
export interface ForgetPlan {
  /** URNs to remove: the moved dynamic resources, the reads, and the dynamic providers nothing else uses. */
  readonly forget: string[];
  /** Dynamic resources of this package that stay, and why. */
  readonly kept: Refusal[];
}

/**
 * Values equal as the state keeps them, where a secret equals any secret: its ciphertext changes
 * each time the engine writes it, and `pulumi stack export` never decrypts it here.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (isSecretValue(a) || isSecretValue(b)) return isSecretValue(a) && isSecretValue(b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/**
 * What to remove from `state` after `pulumi import` of {@link migrationImportFile}'s file: each
 * dynamic resource of this package whose plugin counterpart ({@link pluginUrnOf}) is in the state
 * with the same id and the same declaration; each read (`ChatSpace.get`, never deleted by
 * Pulumi); and the dynamic-provider host's providers no remaining resource uses. A protected
 * resource stays unless `force`.
 */
export function forgetPlan(state: StackExport, force: boolean): ForgetPlan {
  const resources = state.deployment?.resources ?? [];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const forget: string[] = [];
  const kept: Refusal[] = [];
  for (const r of resources) {
    const kind = dynamicKindOf(r);
    if (!kind) continue;
    if (r.protect && !force) {
      kept.push({ urn: r.urn, reason: "is protected: `pulumi state unprotect` it, or run again with --force" });
      continue;
    }
    if (r.external) {
      forget.push(r.urn);
      continue;
    }
    const counterpart = byUrn.get(pluginUrnOf(r.urn));
    if (!counterpart || counterpart.delete) {
      kept.push({
        urn: r.urn,
        reason: `has no ${RESOURCES[kind].plugin} in the stack yet: import it first (\`pulumi import --file\` of \`pulumi-googlechat import --from-stack\`)`,
      });
    } else if (counterpart.id !== r.id) {
      kept.push({ urn: r.urn, reason: `is ${r.id}, but ${counterpart.urn} is ${counterpart.id}: they are not the same resource` });
    } else if (!sameValue(pluginInputsOf(kind, r.inputs), counterpart.inputs ?? {})) {
      kept.push({
        urn: r.urn,
        reason:
          `declares other inputs than ${counterpart.urn}, which the import read from Google instead of taking them from the state ` +
          "(a pulumi CLI older than the import file's `inputs` and `outputs`): update the CLI, `pulumi state delete` the plugin resource, and import again",
      });
    } else {
      forget.push(r.urn);
    }
  }
  // A provider entry of the dynamic-provider host, once none of the resources that stay uses it.
  const leaving = new Set(forget);
  for (const p of resources.filter((r) => r.type === DYNAMIC_PROVIDER_TYPE)) {
    const reference = `${p.urn}::${p.id}`;
    const users = resources.filter((r) => r.provider === reference);
    if (users.length > 0 && users.every((r) => leaving.has(r.urn)) && (!p.protect || force)) forget.push(p.urn);
  }
  return { forget, kept };
}
