/**
 * The ChatSpace resource provider: what Pulumi's engine calls for each space.
 *
 * - configure: settings from the stack config and environment; credentials stay in memory.
 * - check: every declared value validated before anything reaches Google (check.ts).
 * - diff: replace or update, decided by the identity rules of identity.ts (diff.ts).
 * - create: adopt an existing space, or `spaces.create` with a requestId derived from the URN
 *   (request-id.ts), then the PATCHes that bring it to its declared state. A space that was
 *   created but could not be finished is reported as a partial failure, so Pulumi keeps it.
 * - read: one GET. A 404 is "gone" only where a second opinion can tell (admin access, and the
 *   calling user for the spaces admin access doesn't reach); otherwise the space stays in the
 *   stack (see {@link notVisible}, {@link beyondAdminAccess}).
 * - update: `completeImport` and the grouped PATCHes of update-plan.ts, nothing else; what was
 *   applied before a failure is kept, as a partial failure.
 * - delete: one DELETE; a 404 counts as deleted only where it can be told apart from "not
 *   visible to these credentials".
 */
import type { chat_v1 } from "@googleapis/chat";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ANSWERED_404, type BeyondAdminAccessWords, beyondAdminAccess, spaceUnderAdminAccess, unlessNotFound } from "../core/admin-access-reach";
import type { CreateAnswer, Target } from "../core/chat-api";
import {
  ConfiguredProvider,
  checkResult,
  type NotVisibleWords,
  notVisible,
  type ProviderDeps,
  type ProviderDiff,
  refuseFailures,
} from "../core/configured-provider";
import { ChatApiError, isNotFound, PartialFailure } from "../core/errors";
import { badImportId, isSpaceName } from "../core/resource-names";
import { resourceNameOfUrn } from "../core/urn";
import { checkInputs } from "./check";
import { declareLiveSpace } from "./declaration";
import { containsUnknown, diffSpace, movedAdoption } from "./diff";
import { changedInPlaceSince, GOOGLE_DEFAULTS, identityConflicts, REPLACE_ONLY, sameValue, sendsCreateTime } from "./identity";
import { CREATION_ONLY_INPUTS, declaredOf, resourceNameOf, type SdkInputs } from "./inputs";
import { lookupSpace, type SpaceLookupArgs, type SpaceLookupResult, spacesNamed } from "./lookup";
import { madeBeforeThisCall } from "./replay";
import { deriveRequestId, legacyRequestIdBase, requestIdBase } from "./request-id";
import { declarationOf, toOutputs, unfinished, withDeclaration } from "./state";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "./types";
import { type PatchCall, planUpdate } from "./update-plan";

export type { SdkInputs } from "./inputs";

/**
 * How many derived requestIds a create walks before giving up. Each spent id (its space deleted
 * since, which Google may answer with the stale space or 404) costs one or two calls; a resource
 * replaced back and forth spends one per return to the same replace-only values.
 */
const MAX_CREATE_ATTEMPTS = 25;

/** How a space's 404 reads when it can't be told apart from "not visible to these credentials". */
const NOT_VISIBLE: NotVisibleWords = {
  noun: "space",
  gone: "deleted",
  lost:
    "the space was deleted, or these credentials can no longer see it (the Chat app was removed from the space, " +
    "or googlechat:impersonateUser names another user)",
  again: "creates it again",
};

/** How a space's admin-access 404 reads where the calling user sees the space (core/admin-access-reach.ts `beyondAdminAccess`). */
const BEYOND_ADMIN_ACCESS: BeyondAdminAccessWords = {
  untold: "admin access can't manage it",
  manage: "this space",
  takeOut: "to stop managing it without deleting it",
};

export class ChatSpaceProvider extends ConfiguredProvider implements dynamic.ResourceProvider<SdkInputs, ChatSpaceOutputs> {
  /**
   * Spaces this process created or adopted, and spaces it deleted. One deployment runs in one
   * provider process, so these tell a replacement's two halves apart: a create-before-delete
   * replacement whose create got the old space back (its requestId, or the same adoptSpace)
   * must not then delete it, and the create after a delete-before-replace of an adopted space
   * must make a new one instead of adopting the space just deleted.
   */
  private readonly createdHere = new Set<string>();
  private readonly deletedHere = new Set<string>();
  /**
   * The adoptSpace of each space this process deleted that a replacement of an adopted space had
   * made (its declaration still names the adopted space, deleted by that replacement): a create
   * that declares it in this process is the next replacement's, and makes a new space too.
   */
  private readonly adoptionsReplaced = new Set<string>();

  constructor(deps: ProviderDeps) {
    super(deps, "ChatSpace");
  }

  async check(olds: SdkInputs, news: SdkInputs): Promise<dynamic.CheckResult<SdkInputs>> {
    const creating = Object.keys(declaredOf(olds ?? {})).length === 0;
    const failures = checkInputs(news, { ...this.checkContext, creating });
    return checkResult(news, failures);
  }

  async diff(id: string, olds: ChatSpaceOutputs, news: SdkInputs): Promise<ProviderDiff> {
    const declared = declaredOf(news);
    const { changes, replaces, deleteBeforeReplace, detailedDiff } = diffSpace(olds, declared);
    // Adopted: the stored declaration says so, or the space came with no requestId of ours. Only
    // known changes are refused; an unknown one is decided when the up knows it.
    const adopted = declarationOf(olds).adoptSpace === id || declared.adoptSpace === id || olds.requestId === "";
    const knownReplaces = replaces.filter((field) => !containsUnknown(declared[field as keyof ChatSpaceInputs]));
    if (adopted && knownReplaces.length > 0) {
      // The program took this space over; replacing it would delete a space Pulumi did not make.
      throw new Error(
        `ChatSpace ${resourceNameOf(news) ?? id}: changing ${knownReplaces.join(", ")} would replace ${id}, ` +
          "which this resource adopted (adoptSpace), deleting the space and its messages. Keep the current value, " +
          "or remove adoptSpace from the declaration to let the replacement delete it and create a new space.",
      );
    }
    // A space made by a replacement of an adopted space still declares the adoptSpace its
    // replacement deleted: replacing it again would delete it, then fail to adopt that deleted
    // space. Refused while nothing is deleted.
    const adoptedBefore = declared.adoptSpace;
    if (
      !adopted &&
      knownReplaces.length > 0 &&
      typeof adoptedBefore === "string" &&
      !containsUnknown(adoptedBefore) &&
      adoptedBefore === declarationOf(olds).adoptSpace
    ) {
      throw new Error(
        `ChatSpace ${resourceNameOf(news) ?? id}: changing ${knownReplaces.join(", ")} would replace ${id}, ` +
          `and the replacement would adopt ${adoptedBefore} (adoptSpace), which an earlier replacement deleted: this resource manages ${id}, ` +
          "a space it created then. " +
          "Remove adoptSpace from the declaration (it took the old space over once), then preview again: the replacement then creates a new space.",
      );
    }
    // A declaration naming another space (a moved resource name) is refused too, after the
    // replacement refusal: a change of adoptSpace with a replace-only field is said as the replacement it would be.
    const moved = movedAdoption(resourceNameOf(news) ?? id, id, olds, declared);
    if (moved) throw new Error(moved);
    return { changes, replaces, deleteBeforeReplace, detailedDiff };
  }

  async create(inputs: SdkInputs): Promise<dynamic.CreateResult<ChatSpaceOutputs>> {
    const target: Target = { label: resourceNameOf(inputs) ?? "(unnamed)", urn: inputs.__urn };
    const declared = declaredOf(inputs);
    try {
      // The engine checked these inputs; a create is refused here too, before any call, if they
      // break a creation rule (any caller that checked them against an existing space).
      const failures = checkInputs(declared, { ...this.checkContext, creating: true });
      refuseFailures(failures);
      const adoptSpace = declared.adoptSpace;
      if (adoptSpace && !this.deletedHere.has(adoptSpace) && !this.adoptionsReplaced.has(adoptSpace)) {
        return this.held(await this.adopt(adoptSpace, declared, target, inputs));
      }
      if (adoptSpace) {
        const why = this.deletedHere.has(adoptSpace) ? "was deleted by this replacement" : "was deleted by an earlier replacement of this resource";
        this.deps.log(`ChatSpace ${target.label}: ${adoptSpace} ${why}; creating a new space`, target.urn);
      }
      return this.held(await this.createNew(declared, target, inputs));
    } catch (error) {
      if (error instanceof PartialFailure) throw error;
      const failure = this.failure(target, error);
      if (!isAlreadyExists(error)) throw failure;
      // Display names are unique in an organisation (v1.d.ts `Schema$Space.displayName`): a
      // replacement that creates first can't take the name of the space it then deletes.
      throw new Error(
        `${failure.message} If that space is the one this resource replaces, ` +
          "a replacement that creates the new space first (deleteBeforeReplace: false) can't take its name: " +
          "let the replacement delete it first (remove deleteBeforeReplace: false; the ChatSpace class sets true), " +
          "or declare another displayName with the change.",
      );
    }
  }

  /** `spaces.create` with the requestIds derived from the resource, walked past the spent ones, then the PATCHes that finish the space. */
  private async createNew(declared: ChatSpaceInputs, target: Target, inputs: SdkInputs) {
    const base = requestIdBase(inputs);
    if (!base) throw new Error("no resource URN: create spaces with the ChatSpace class, which sends it.");
    for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      const requestId = deriveRequestId(base, declared, attempt);
      const space = await this.createOnce(requestId, declared, target, attempt === 0 ? inputs : undefined, inputs.__provider);
      if (space) return this.finish(space.space, declared, space.requestId, target, inputs.__provider);
      this.deps.log(
        `ChatSpace ${target.label}: requestId ${requestId} is spent (its space was deleted, or can't be what the declaration creates); ` +
          "trying the next derived requestId",
        target.urn,
      );
    }
    throw new Error(`${MAX_CREATE_ATTEMPTS} derived requestIds are spent (their spaces were deleted): set a new requestId on the resource.`);
  }

  private held(result: dynamic.CreateResult<ChatSpaceOutputs>): dynamic.CreateResult<ChatSpaceOutputs> {
    this.createdHere.add(result.id);
    return result;
  }

  /**
   * One `spaces.create`, reconciled: a partial or possibly stale answer (a reused requestId
   * returns the space in whatever state it is now) is read again; a space that is gone means
   * the id is spent (undefined). A space that exists under this id but differs from the
   * declaration in a replace-only field is an earlier request's: it is named in the error, never
   * left behind silently. `legacy`: on the first attempt, the inputs whose 0.1.0 requestId to
   * try when the display name is taken (a create that crashed under 0.1.0, repeated now). A
   * space that can't be read after its create is kept as an unfinished one (never "not ours").
   */
  private async createOnce(
    requestId: string,
    declared: ChatSpaceInputs,
    target: Target,
    legacy: SdkInputs | undefined,
    provider: string | undefined,
  ): Promise<{ space: chat_v1.Schema$Space; requestId: string } | undefined> {
    // The local clock only times the call: see replay.ts.
    const stopwatch = this.deps.stopwatch ?? this.deps.now;
    const startedAt = stopwatch();
    let answer: CreateAnswer;
    let usedId = requestId;
    try {
      answer = await this.api.create(createBody(declared), requestId, { target });
    } catch (error) {
      // A requestId whose space was deleted may answer NOT_FOUND: that id is spent.
      if (isNotFound(error)) return undefined;
      // Not for a program-set requestId: 0.1.0 used it alone, so another stack may own that id.
      const legacyBase = legacy && declared.displayName && legacy.requestId === undefined && isAlreadyExists(error) ? legacyRequestIdBase(legacy) : undefined;
      if (!legacyBase) throw error;
      // Only a replay can answer: the name is taken, so the 0.1.0 id can't make a second space.
      usedId = deriveRequestId(legacyBase, declared, 0);
      try {
        answer = await this.api.create(createBody(declared), usedId, { target });
      } catch {
        throw error;
      }
    }
    let space = answer.space;
    const name = space.name;
    if (!name) throw new Error("spaces.create answered without the space's name.");
    // An import-mode space carries its historical createTime, so its create is always read again;
    // a space this process deleted (a quick --replace) is stale whatever its age.
    const timing = { createTime: space.createTime, serverDate: answer.serverDate, elapsedMs: stopwatch() - startedAt };
    const replayed = madeBeforeThisCall(timing) || this.deletedHere.has(name);
    if (isPartial(space) || replayed) {
      try {
        space = await this.api.get(name, { importMode: declared.importMode === true, target });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      // Google answered with the name alone again: the space is this create's, unfinished.
      if (isPartial(space)) {
        const message = `ChatSpace ${target.label}: ${name} was created but could not be read; the next up reads it again.`;
        throw new PartialFailure(message, name, toOutputs(space, identityPart(declared), usedId), provider);
      }
    }
    // The space this requestId made, changed in place since (a create-before-delete `--replace` of
    // a space whose import was completed in Chat gets it back): it can't become what the
    // declaration creates, so the id is spent, and the next one makes the new space.
    const changed = changedInPlaceSince(space, declared);
    if (changed.length > 0) {
      this.deps.log(
        `ChatSpace ${target.label}: requestId ${usedId} returns ${name}, changed since it was created (${changed.join("; ")}), which Google can't undo`,
        target.urn,
      );
      return undefined;
    }
    const conflicts = identityConflicts(space, declared, "created");
    if (conflicts.length > 0) {
      throw new Error(
        `requestId ${usedId} belongs to ${space.name}, made by an earlier request with other values (${conflicts.join("; ")}). ` +
          `Take it over with adoptSpace: "${space.name}", delete it, or set a new requestId on the resource.`,
      );
    }
    return { space, requestId: usedId };
  }

  private async adopt(name: string, declared: ChatSpaceInputs, target: Target, inputs: SdkInputs) {
    const provider = inputs.__provider;
    let space: chat_v1.Schema$Space;
    try {
      space = await this.api.get(name, { importMode: declared.importMode === true, target });
    } catch (error) {
      if (isNotFound(error)) {
        const resumed = await this.resumeReplacement(name, declared, target, inputs);
        if (resumed) return resumed;
        throw new Error(
          `adoptSpace ${name} does not exist, or these credentials can't see it. If a replacement deleted it in an interrupted run, ` +
            "remove adoptSpace from the declaration so that the next up creates a new space.",
        );
      }
      throw error;
    }
    const conflicts = identityConflicts(space, declared, "adopted");
    if (conflicts.length > 0) {
      throw new Error(
        `adoptSpace ${name} can't be taken over as declared: ${conflicts.join("; ")}. These can only be set when a space is created: ` +
          "declare the space's values, or leave them out.",
      );
    }
    return this.finish(space, declared, "", target, provider);
  }

  /**
   * After `adoptSpace` answered 404: the space an interrupted replacement of this resource made,
   * if there is one, else undefined. A replacement deletes the adopted space, then creates one with
   * the resource's derived requestIds (see create); a run that died between that create and its
   * state write leaves a space named as declared that no state holds, and the next up, another
   * process, knows nothing of the delete. Such a space is looked for among the caller's spaces
   * by the declared display name, and only then asked for by requestId: with the name taken,
   * Google can't make a second space (v1.d.ts `Schema$Space.displayName`: ALREADY_EXISTS), so a
   * create either returns the space that requestId made (v1.d.ts `spaces.create` `requestId`)
   * or makes nothing. Credentials that only lost sight of the adopted space never create one here.
   */
  private async resumeReplacement(adoptSpace: string, declared: ChatSpaceInputs, target: Target, inputs: SdkInputs) {
    if (!declared.displayName || (declared.spaceType ?? GOOGLE_DEFAULTS.spaceType) !== "SPACE") return undefined;
    const named = await spacesNamed(this.api, false, declared.displayName);
    if (named.length === 0) return undefined;
    try {
      const resumed = await this.createNew(declared, target, inputs);
      this.deps.log(
        `ChatSpace ${target.label}: ${adoptSpace} (adoptSpace) is gone; ${resumed.id}, ` +
          "which a replacement of this resource created in an interrupted run, is taken as its space",
        target.urn,
      );
      return resumed;
    } catch (error) {
      // The name is another space's: this resource's requestIds made none of them.
      if (isAlreadyExists(error)) return undefined;
      throw error;
    }
  }

  /** Brings a space Pulumi now owns to its declared state; a failure keeps the space in the stack. */
  private async finish(space: chat_v1.Schema$Space, declared: ChatSpaceInputs, requestId: string, target: Target, provider?: string) {
    const outs = await this.applyOrKeep(toOutputs(space, declared, requestId), declared, undefined, target, provider, true);
    return { id: outs.name, outs };
  }

  /**
   * Runs the update plan and returns the outputs after the last call. `fresh`: `live` was read
   * just now (a create or an adoption), not taken from the state. A failure part way is a
   * partial failure carrying what was applied, so the state never forgets a completed import
   * or an applied PATCH; its `__declared` keeps only the identity and creation-only inputs, so
   * the next diff plans again whatever may not have been applied.
   */
  private async applyOrKeep(
    live: ChatSpaceOutputs,
    declared: ChatSpaceInputs,
    previous: ChatSpaceInputs | undefined,
    target: Target,
    provider: string | undefined,
    fresh = false,
  ): Promise<ChatSpaceOutputs> {
    let outs = withDeclaration(live, declared);
    const resolve = (space: chat_v1.Schema$Space) => (outs = toOutputs(space, declared, live.requestId));
    try {
      if (unfinished(live)) {
        const space = await this.api.get(live.name, { importMode: declared.importMode === true, target });
        if (isPartial(space)) throw new Error(`${live.name} was created but could not be read; the next up reads it again.`);
        resolve(space);
      }
      let plan = planUpdate(outs, declared, previous);
      if (plan.completeImport) {
        await this.completeImport(live.name, target).then(resolve);
        plan = planUpdate(outs, declared, previous);
      }
      if (!fresh && !plan.completeImport && plan.patches.some((p) => p.carriesUndeclared)) {
        // space_details replaces both parts: the part the declaration leaves out is read right
        // before, not taken from the state, where an edit made in Chat since would be lost.
        resolve(await this.api.get(live.name, { importMode: outs.importMode, target }));
        plan = planUpdate(outs, declared, previous);
      }
      let patches = plan.patches;
      while (patches.length > 0) {
        const [patch, ...rest] = patches;
        let answer: chat_v1.Schema$Space;
        try {
          answer = await this.inLiveMode(live.name, outs.importMode, target, (importMode) =>
            this.api.patch(live.name, patch.updateMask, patch.space, { importMode, target }),
          );
        } catch (error) {
          const space = await this.madeASpaceAlready(live.name, patch, error, target);
          if (!space) throw error;
          // The space_type change is done: plan what is left from the space as it is now.
          resolve(space);
          patches = planUpdate(outs, declared, previous).patches;
          continue;
        }
        // A partial answer would write empty values into the state: read the space instead.
        resolve(isPartial(answer) ? await this.api.get(live.name, { target }) : answer);
        patches = rest;
      }
      return outs;
    } catch (error) {
      const kept = withDeclaration(outs, appliedIdentity(declared, previous, outs));
      throw new PartialFailure(await this.applyFailure(live, target, error), kept.name, kept, provider);
    }
  }

  /**
   * After a PATCH that makes a GROUP_CHAT a SPACE was refused: the space as it is, if it is a
   * SPACE already, else undefined. Google changes `space_type` only from GROUP_CHAT to SPACE
   * (v1.d.ts `Params$Resource$Spaces$Patch.updateMask`), so the same PATCH sent again after an
   * answer that was lost once the change was made (or after the change was made in Chat) is
   * refused: the change it asks for is done, and it is read so, not failed on every up.
   */
  private async madeASpaceAlready(name: string, patch: PatchCall, error: unknown, target: Target): Promise<chat_v1.Schema$Space | undefined> {
    const changesType = patch.updateMask.split(",").includes("space_type");
    if (!changesType || !(error instanceof ChatApiError) || error.googleStatus !== "INVALID_ARGUMENT") return undefined;
    const space = await this.api.get(name, { target });
    return space.spaceType === "SPACE" && !isPartial(space) ? space : undefined;
  }

  /** Why an update failed; a 404 says whether the space is gone (admin access) and what to do. */
  private async applyFailure(live: ChatSpaceOutputs, target: Target, error: unknown): Promise<string> {
    if (!isNotFound(error)) return this.failure(target, error).message;
    const opinion = await this.secondOpinion(live.name, target, error).catch(() => undefined);
    if (opinion === "beyondAdminAccess") return this.beyondAdminAccess(target, live.name, "was not changed and stays in the stack");
    if (opinion !== "gone") return notVisible(this.type, target, NOT_VISIBLE, "was not changed and stays in the stack");
    return (
      `ChatSpace ${target.label}: ${live.name} was deleted outside Pulumi. Run \`pulumi refresh\` (it takes the space out of the stack), ` +
      "then `pulumi up` creates it again."
    );
  }

  /**
   * `spaces.completeImport`, idempotent: a repeat (a lost answer retried, or an import completed
   * outside Pulumi) is refused with FAILED_PRECONDITION; if the space is out of import mode,
   * the import is complete and that is success.
   */
  private async completeImport(name: string, target: Target): Promise<chat_v1.Schema$Space> {
    try {
      return await this.api.completeImport(name, { target });
    } catch (error) {
      if (!(error instanceof ChatApiError && error.googleStatus === "FAILED_PRECONDITION")) throw error;
      const space = await this.api.get(name, { target });
      if (space.importMode) throw error;
      return space;
    }
  }

  async read(id: string, props?: ChatSpaceOutputs): Promise<dynamic.ReadResult<ChatSpaceOutputs>> {
    const target: Target = { label: spaceLabel(id, props) };
    try {
      const space = await this.api.get(id, { importMode: props?.importMode === true, target });
      return { id, props: toOutputs(space, props ? declarationOf(props) : {}, props?.requestId ?? "") };
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      // ChatSpace.get of a space that isn't there: nothing is in the stack to keep.
      if (!props) return { id: "" };
      const live = await this.secondOpinion(id, target, error);
      if (live === "gone") return { id: "" };
      if (live === "beyondAdminAccess") {
        this.deps.log(this.beyondAdminAccess(target, id, "stays in the stack as last read"));
        return { id, props };
      }
      if (live) return { id, props: toOutputs(live, declarationOf(props), props.requestId ?? "") };
      this.deps.log(notVisible(this.type, target, NOT_VISIBLE, "stays in the stack"));
      return { id, props };
    }
  }

  /**
   * The space `id` as an import records it (`pulumi import`, with the provider plugin): its
   * outputs, and the declaration that adopts it as it is (declaration.ts), as the program then
   * declares it. One GET: importing writes nothing, and the next up of that declaration changes
   * nothing. A space that can't be declared (a direct message, a space in import mode) is refused,
   * saying why. `urn`: the resource's, for its name in messages.
   */
  async importSpace(id: string, urn?: string): Promise<{ id: string; props: ChatSpaceOutputs; inputs: ChatSpaceInputs }> {
    const target: Target = { label: resourceNameOfUrn(urn) ?? id, urn };
    if (!isSpaceName(id)) throw badImportId("ChatSpace", target.label, id);
    let space: chat_v1.Schema$Space;
    try {
      space = await this.api.get(id, { target });
    } catch (error) {
      throw this.failure(target, error);
    }
    const { declaration, notExpressed } = declareLiveSpace(space, { auth: this.auth, now: this.deps.now() });
    if (!declaration) throw new Error(`ChatSpace ${target.label}: ${id} can't be imported: ${notExpressed.join("; ")}.`);
    return { id, props: toOutputs(space, declaration, ""), inputs: declaration };
  }

  /**
   * The one space named `args.displayName`, found without managing it (lookup.ts): with admin
   * access among the organisation's spaces, else among the caller's. `who` names the caller in messages.
   */
  lookup(args: SpaceLookupArgs, who: string): Promise<SpaceLookupResult> {
    return lookupSpace(this.api, this.settings?.useAdminAccess === true, args, who);
  }

  async update(id: string, olds: ChatSpaceOutputs, news: SdkInputs): Promise<dynamic.UpdateResult<ChatSpaceOutputs>> {
    const target: Target = { label: resourceNameOf(news) ?? id, urn: news.__urn };
    return { outs: await this.applyOrKeep(olds, declaredOf(news), declarationOf(olds), target, news.__provider) };
  }

  async delete(id: string, props: ChatSpaceOutputs): Promise<void> {
    const target: Target = { label: spaceLabel(id, props) };
    if (this.createdHere.has(id)) {
      // The replacement's create got this very space back: deleting it would leave the resource without one.
      this.deps.log(
        `ChatSpace ${target.label}: the replacement kept the same space (its requestId or adoptSpace returned it), so it is not deleted. ` +
          "For a new space, let the replacement delete first (the resource option deleteBeforeReplace: true, " +
          "which the ChatSpace class sets) or set a new requestId.",
      );
      return;
    }
    try {
      await this.inLiveMode(id, props.importMode === true, target, (importMode) => this.api.delete(id, { importMode, target }));
      this.deleted(id, props);
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      // Deleted by this process already (a delete retried by the engine): gone for certain.
      if (this.deletedHere.has(id)) return;
      const live = await this.secondOpinion(id, target, error);
      if (live === "gone") {
        this.deleted(id, props);
        return;
      }
      if (live === "beyondAdminAccess") throw new Error(this.beyondAdminAccess(target, id, "was not deleted and stays in the stack"));
      throw new Error(notVisible(this.type, target, NOT_VISIBLE, "was not deleted and stays in the stack"));
    }
  }

  /** Notes a space this process deleted, and the adoption its declaration names if it is another space ({@link adoptionsReplaced}). */
  private deleted(id: string, props: ChatSpaceOutputs): void {
    this.deletedHere.add(id);
    const adoptSpace = declarationOf(props).adoptSpace;
    if (adoptSpace && adoptSpace !== id) this.adoptionsReplaced.add(adoptSpace);
  }

  /**
   * A call with the scope the space's mode needs. The state may say import mode for a space
   * whose import was completed in Chat since: a refused import-scoped call reads the space, and
   * goes again as for a regular space if it no longer is in import mode.
   */
  private async inLiveMode<T>(id: string, importMode: boolean, target: Target, call: (importMode: boolean) => Promise<T>): Promise<T> {
    try {
      return await call(importMode);
    } catch (error) {
      const refused = error instanceof ChatApiError && (error.httpStatus === 403 || error.googleStatus === "FAILED_PRECONDITION");
      if (!importMode || !refused || (await this.api.get(id, { importMode: true, target })).importMode) throw error;
      return call(false);
    }
  }

  /**
   * After a 404 (`notFound`, what the call threw): without admin access, a 404 may only mean
   * these credentials can't see the space (the app was removed from it, another user is
   * impersonated), which can't be told apart (undefined). With admin access, by the admin-access
   * rule (core/admin-access-reach.ts `spaceUnderAdminAccess`): admin access's own 404 is confirmed
   * by reading the space as the calling user (404 too, the space was deleted, one read more; seen,
   * it is another organisation's space, which admin access can't judge: `beyondAdminAccess`); a
   * 404 of a call made as the user (the import scope, a PATCH sent as the user) by reading it with
   * admin access: it answers the space, or 404 (neither sees it: gone).
   */
  private async secondOpinion(id: string, target: Target, notFound: unknown): Promise<chat_v1.Schema$Space | "gone" | "beyondAdminAccess" | undefined> {
    if (!this.settings?.useAdminAccess) return undefined;
    const adminAnswered = notFound instanceof ChatApiError && notFound.adminAccess;
    const byAdmin = adminAnswered ? ANSWERED_404 : () => unlessNotFound(this.api.get(id, { adminAccess: true, target }));
    const byUser = adminAnswered ? () => unlessNotFound(this.api.get(id, { userAccess: true, target })) : ANSWERED_404;
    try {
      const sight = await spaceUnderAdminAccess(byAdmin, byUser);
      return sight.kind === "seen" ? sight.space : sight.kind;
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  /** What Pulumi is told where admin access answered 404 for a space the calling user sees; `outcome`: what happens to the resource now. */
  private beyondAdminAccess(target: Target, space: string, outcome: string): string {
    return beyondAdminAccess(this.type, target.label, space, outcome, BEYOND_ADMIN_ACCESS);
  }
}

/**
 * What a partial failure records as declared: the creation-only inputs, and each replace-only
 * field as newly declared only where the space now has it, else as declared before (a completed
 * import is recorded; a completion that failed is not, so reverting never previews a replacement).
 */
function appliedIdentity(declared: ChatSpaceInputs, previous: ChatSpaceInputs | undefined, live: ChatSpaceOutputs): ChatSpaceInputs {
  const applied: Record<string, unknown> = { ...identityPart(declared) };
  for (const field of REPLACE_ONLY) {
    if (applied[field] === undefined || sameValue(field, live[field], applied[field])) continue;
    if (previous?.[field] === undefined) delete applied[field];
    else applied[field] = previous[field];
  }
  return applied as ChatSpaceInputs;
}

/** The part of a declaration that a partial failure may record as applied: identity and creation-only inputs. */
function identityPart(declared: ChatSpaceInputs): ChatSpaceInputs {
  const keep: readonly string[] = [...REPLACE_ONLY, ...CREATION_ONLY_INPUTS];
  return Object.fromEntries(Object.entries(declared).filter(([key]) => keep.includes(key))) as ChatSpaceInputs;
}

/** An answer that lacks fields every space has (Google answered with the name alone): read it again. */
const isPartial = (space: chat_v1.Schema$Space) => !space.spaceType || !space.spaceUri || !space.createTime;

const isAlreadyExists = (e: unknown) => e instanceof ChatApiError && e.googleStatus === "ALREADY_EXISTS";

/** read and delete get outputs only, without the resource's name: the space's name and id stand in. */
function spaceLabel(id: string, props: ChatSpaceOutputs | undefined): string {
  return props?.displayName ? `"${props.displayName}" (${id})` : id;
}

/** What `spaces.create` is sent: the declared fields it accepts (permission settings follow by PATCH). */
function createBody(declared: ChatSpaceInputs): chat_v1.Schema$Space {
  const spaceType = declared.spaceType ?? GOOGLE_DEFAULTS.spaceType;
  return {
    spaceType,
    displayName: declared.displayName,
    spaceDetails: declared.spaceDetails,
    spaceHistoryState: declared.spaceHistoryState,
    externalUserAllowed: declared.externalUserAllowed,
    accessSettings: declared.accessSettings?.audience ? { audience: declared.accessSettings.audience } : undefined,
    predefinedPermissionSettings: declared.predefinedPermissionSettings,
    customer: declared.customer,
    importMode: declared.importMode,
    createTime: sendsCreateTime(declared) ? declared.createTime : undefined,
  };
}
