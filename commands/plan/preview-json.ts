/**
 * What `pulumi preview --json` prints: the engine's preview digest (pulumi/pulumi
 * pkg/display/json.go `PreviewDigest`, `PreviewStep`; written by pkg/backend/display/json.go
 * `ShowPreviewDigest`), and the one place that reads it.
 *
 * Only the fields the plan summary reads are typed. The digest lists a step per resource the
 * preview shows: `same` steps only with --show-sames (the stack's own always), and a replacement
 * as one `replace` step, or with --show-replacement-steps as that step and its non-logical ones
 * (`create-replacement`, `delete-replaced`, `read-replacement`, `discard-replaced`,
 * `import-replacement`: pkg/backend/display/display.go `shouldShow`, step.go `IsReplacementStep`).
 * A failed preview still prints the digest, with the steps planned so far and `error` diagnostics.
 */

import { urnParts } from "../../provider/core/urn";

/**
 * A step's operation (pulumi/pulumi pkg/resource/deploy/step.go `StepOp`, the list `StepOps`).
 * Two of them never reach `pulumi preview --json`: `diff` is the engine's own parallel-diff work item
 * (step_executor.go `executeStep` sends no event for a `DiffStep`), and `extend-parameterize` runs
 * only in `pulumi import` (import.go) and has no URN. `remove-pending-replace` is an internal step
 * (pkg/engine/update.go `isInternalStep`) whose events the display drops (pkg/backend/display
 * display.go: "exclude any internal events"): typed for completeness, never seen in a digest.
 */
export type StepOp =
  | "same"
  | "create"
  | "update"
  | "delete"
  | "replace"
  | "create-replacement"
  | "delete-replaced"
  | "read"
  | "read-replacement"
  | "refresh"
  | "discard"
  | "discard-replaced"
  | "remove-pending-replace"
  | "import"
  | "import-replacement"
  | "diff"
  | "extend-parameterize";

/** How the digest shows a secret value, unless run with `--show-secrets`. */
export const SECRET_TEXT = "[secret]";

/** A resource's state as the digest serializes it (sdk/go/common/apitype `ResourceV3`); secrets read {@link SECRET_TEXT}. */
export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  /** The provider's id: absent for a resource not created yet. */
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  /** The URNs each input depends on: how a membership names the ChatSpace it is given. */
  readonly propertyDependencies?: Record<string, string[]>;
  /**
   * The `retainOnDelete` resource option (apitype `ResourceV3.RetainOnDelete`, `json:"retainOnDelete,omitempty"`):
   * its deletion only drops it from the state, the provider's delete is not called.
   */
  readonly retainOnDelete?: boolean;
  /**
   * Managed by a provider (apitype `ResourceV3.Custom`, `json:"custom"`, always written): false for a
   * component, whose deletion calls no provider (step.go `DeleteStep.Apply` deletes only `Custom` ones).
   */
  readonly custom?: boolean;
  /**
   * Left pending deletion by an earlier update (apitype `ResourceV3.Delete`, `json:"delete,omitempty"`):
   * its replacement was made and its own delete did not happen. The engine deletes it beside this
   * run's step for the resource (step_generator.go `GenerateDeletes`: a `delete-replaced` step of it alone).
   */
  readonly delete?: boolean;
  /** Read with `.get`, not managed (apitype `ResourceV3.External`): the engine never deletes it in the provider, only drops it. */
  readonly external?: boolean;
  /** The id the `import` resource option names (apitype `ResourceV3.ImportID`): on an import step, the resource to adopt. */
  readonly importID?: string;
  /** The provider instance that serves it, `{urn}::{id}` (apitype `ResourceV3.Provider`): the default one or an explicit one. */
  readonly provider?: string;
}

/** One step the engine plans (pkg/display/json.go `PreviewStep`). */
export interface PreviewStep {
  readonly op: StepOp;
  readonly urn: string;
  readonly oldState?: ResourceState;
  readonly newState?: ResourceState;
  /** The inputs that cause a replacement, when the provider names them. */
  readonly replaceReasons?: string[];
}

/** A diagnostic of the preview; `error` ones mean the preview failed. */
export interface PreviewDiagnostic {
  readonly urn?: string;
  readonly message?: string;
  readonly severity?: string;
}

/** The whole of `pulumi preview --json` (pkg/display/json.go `PreviewDigest`). */
export interface PreviewDigest {
  readonly steps?: PreviewStep[];
  readonly diagnostics?: PreviewDiagnostic[];
  readonly changeSummary?: Record<string, number>;
}

/** The last part of a URN: the resource's name in the program. */
export function resourceName(urn: string): string {
  return urnParts(urn).name;
}

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::...`). */
export function stackOf(urn: string): string {
  return urnParts(urn).stack;
}

/** Parses `pulumi preview --json` output; `source` names where it came from in the error. */
export function parsePreview(text: string, source: string): PreviewDigest {
  let digest: unknown;
  try {
    digest = JSON.parse(text);
  } catch {
    const start = text.trim().slice(0, 60);
    throw new Error(`${source} is not JSON${start ? ` (it starts "${start}")` : " (it is empty)"}: give the output of \`pulumi preview --json\`.`);
  }
  const steps = (digest as PreviewDigest | null)?.steps;
  const isDigest =
    typeof digest === "object" && digest !== null && !Array.isArray(digest) && (steps === undefined || (Array.isArray(steps) && steps.every(isStep)));
  if (!isDigest) throw new Error(`${source} is JSON but not the output of \`pulumi preview --json\` (expected an object with a "steps" list of {op, urn}).`);
  return digest as PreviewDigest;
}

function isStep(step: unknown): boolean {
  return typeof step === "object" && step !== null && typeof (step as PreviewStep).op === "string" && typeof (step as PreviewStep).urn === "string";
}
