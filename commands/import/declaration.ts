/**
 * What the import command writes for one space: the provider's declaration of the live space
 * (provider/space/declaration.ts, which the provider plugin's import uses too), and what its
 * resource name is made from.
 */
import type { chat_v1 } from "@googleapis/chat";
import { type DeclarationContext, declareLiveSpace } from "../../provider/space/declaration";
import type { ChatSpaceInputs } from "../../provider/space/types";
import { type NamedSpace, resourceNames } from "./names";

/** What one space becomes. */
export interface SpaceDeclaration {
  /** The space, `spaces/{space}`. */
  readonly space: string;
  /** The declaration that adopts it; absent when the space can't be a ChatSpace. */
  readonly declaration?: ChatSpaceInputs;
  /** What the declaration leaves out or could not express, and why; one sentence each. */
  readonly notExpressed: string[];
  /**
   * What its resource name is made from (names.ts): every space but a direct message,
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

/** A space the command declares, with its resource name. */
export interface NamedDeclaration {
  /** The space, `spaces/{space}`. */
  readonly space: string;
  /** Its resource name (names.ts); its roster's is {@link rosterName} of it. */
  readonly name: string;
  readonly declaration: ChatSpaceInputs;
}

/** The resource name of the roster of the space named `spaceName`. */
export const rosterName = (spaceName: string): string => `${spaceName}-members`;

/**
 * The declared spaces with their resource names, sorted by name: the same text from one run to the
 * next. Named over every space found, left out ones too: each keeps its place among those sharing
 * its slug.
 */
export function namedDeclarations(spaces: readonly SpaceDeclaration[]): NamedDeclaration[] {
  const names = resourceNames(spaces.flatMap((s) => (s.naming ? [s.naming] : [])));
  return spaces
    .flatMap((s) => (s.declaration ? [{ space: s.space, name: names.get(s.space) ?? s.space, declaration: s.declaration }] : []))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
