/**
 * The SDK tests' one way to run a program under Pulumi's mocks (`pulumi.runtime.setMocks`, as
 * pulumi/pulumi-awsx tests its components): every registration is recorded, and answered with
 * the id and state the test gives.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

/** One resource the program registered, as the mocks saw it. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

/** What the mocks answer a registration with: the id the engine would return, and the resource's state. */
export type Answer = (args: MockResourceArgs) => { id: string; state: Record<string, any> };

/**
 * Runs `program` under Pulumi's mocks, in project `chat-project` and stack `stack`, answering
 * each registration with `answer`; returns what it registered, in order.
 */
export async function registerUnderMocks(answer: Answer, program: () => void, stack = "dev"): Promise<Registered[]> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return answer(args);
      },
      call: () => ({}),
    },
    "chat-project",
    stack,
    false,
    "organization",
  );
  program();
  // Every registration is an RPC to the mocks: wait until the runtime has none outstanding.
  await pulumi.runtime.disconnect();
  return registered;
}
