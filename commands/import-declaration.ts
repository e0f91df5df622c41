/**
 * What the import command writes for one space: the provider's declaration of the live space
 * (provider/space/declaration.ts, which the provider plugin's import uses too), and what its
 * resource name is made from.
 */
import type { chat_v1 } from "@googleapis/chat";
import { type DeclarationContext, declareLiveSpace } from "../provider/space/declaration";
import type { ChatSpaceInputs } from "../provider/space/types";
import type { NamedSpace } from "./import-names";

/** What one space becomes. */
export interface SpaceDeclaration {
  /** The space, `spaces/{space}`. */
  readonly space: string;
  /** The declaration that adopts it; absent when the space can't be a ChatSpace. */
  readonly declaration?: ChatSpaceInputs;
  /** What the declaration leaves out or could not express, and why; one sentence each. */
  readonly notExpressed: string[];
  /**
   * What its resource name is made from (import-names.ts): every space but a direct message,
   * declared or left out, so that a space left out today still holds its name's place.
   */
  readonly naming?: NamedSpace;
}

export function declareSpace(space: chat_v1.Schema$Space, ctx: DeclarationContext): SpaceDeclaration {
  const name = space.name ?? "";
  const { declaration, notExpressed } = declareLiveSpace(space, ctx);
  if (space.spaceType === "DIRECT_MESSAGE") return { space: name, notExpressed };
  const naming: NamedSpace = {
    name,
    displayName: space.displayName ?? "",
    ...(space.spaceType === "GROUP_CHAT" ? { groupChat: true } : {}),
    ...(space.createTime ? { createTime: space.createTime } : {}),
  };
  return declaration ? { space: name, declaration, notExpressed, naming } : { space: name, notExpressed, naming };
}
