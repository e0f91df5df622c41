/**
 * The resource options the SDK classes pass to Pulumi under a program's own (sdk/*.ts), taken
 * from the provider's constants the SDK itself reads: the fuzzer's programs declare resources as
 * the SDK does, so a change of those constants is what the fuzzer runs. sdk-options.test.ts
 * checks this table against what the SDK classes register under Pulumi's mocks.
 */
import { MEMBERSHIP_DELETE_BEFORE_REPLACE } from "../../provider/membership/identity";
import { DELETE_BEFORE_REPLACE } from "../../provider/space/identity";
import { refuseDeleteFirst } from "../../sdk/member-options";

/** The options each class sets; one left out is the program's, else the engine's default. */
export const SDK_OPTIONS = {
  ChatSpace: { deleteBeforeReplace: DELETE_BEFORE_REPLACE },
  /** None while the constant is undefined (the provider's diff decides). */
  ChatMembership: MEMBERSHIP_DELETE_BEFORE_REPLACE === undefined ? {} : { deleteBeforeReplace: MEMBERSHIP_DELETE_BEFORE_REPLACE },
  /** sdk/chat-space-members.ts passes the program's options alone. */
  ChatSpaceMembers: {},
} as const satisfies Record<string, { deleteBeforeReplace?: boolean }>;

export type SdkClass = keyof typeof SDK_OPTIONS;

/**
 * The `deleteBeforeReplace` option the engine gets for a resource of `kind`: the program's own
 * when it sets one, else the SDK's; undefined when neither sets it, and the provider's diff then
 * decides (engine.ts). A set option, `false` too, wins over the diff.
 */
export function deleteBeforeReplaceOf(kind: SdkClass, programSets?: boolean): boolean | undefined {
  const sdk: { deleteBeforeReplace?: boolean } = SDK_OPTIONS[kind];
  return programSets ?? sdk.deleteBeforeReplace;
}

/** What one registration of the program hands the engine: its `deleteBeforeReplace`, or the error the SDK class threw. */
export interface Registration {
  deleteBeforeReplace?: boolean;
  /** The SDK class refused the program's options (engine.ts `DeclaredResource.programError`). */
  programError?: string;
}

/**
 * A resource of `kind` named `name` registered as its SDK class registers it, the program setting
 * `deleteBeforeReplace: programSets` (undefined: not set): the member classes' own option check
 * runs first (sdk/member-options.ts `refuseDeleteFirst`, which their constructors call before
 * anything else), and what it throws is the program's failure; otherwise the option the engine
 * gets ({@link deleteBeforeReplaceOf}). sdk-options.test.ts checks it against the classes under
 * Pulumi's mocks.
 */
export function registrationOf(kind: SdkClass, name: string, programSets?: boolean): Registration {
  try {
    if (kind !== "ChatSpace") refuseDeleteFirst(kind, name, programSets === undefined ? {} : { deleteBeforeReplace: programSets });
  } catch (error) {
    return { programError: error instanceof Error ? error.message : String(error) };
  }
  return { deleteBeforeReplace: deleteBeforeReplaceOf(kind, programSets) };
}
