import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CHAT_SPACE_TYPE, ChatSpace } from "../../sdk";
import { registerUnderMocks } from "./mocks";

/** Runs `program` under Pulumi's mocks for `stack`: a space's id is `spaces/{name}`. */
const register = (stack: string, program: () => void) =>
  registerUnderMocks(
    (args) => ({ id: `spaces/${args.name}`, state: { ...args.inputs, name: `spaces/${args.name}`, spaceUri: "https://chat.google.com/room/x" } }),
    program,
    stack,
  );

class Team extends pulumi.ComponentResource {
  constructor(name: string) {
    super("acme:index:Team", name);
    new ChatSpace("space", { displayName: name }, { parent: this });
  }
}

describe("sdk: ChatSpace under Pulumi's mocks", () => {
  it("registers the type token pulumi-nodejs:dynamic/googlechat:ChatSpace", async () => {
    const [space] = await register("dev", () => new ChatSpace("eng", { displayName: "Engineering" }));
    assert.equal(space.type, CHAT_SPACE_TYPE);
    assert.equal(space.type, "pulumi-nodejs:dynamic/googlechat:ChatSpace");
  });

  it("passes the URN and the Pulumi organisation the requestIds derive from: stable across runs, different across stacks, names and parents", async () => {
    const urn = (stack: string, name: string, parentType = "") => `urn:pulumi:${stack}::chat-project::${parentType}${CHAT_SPACE_TYPE}::${name}`;
    const first = (await register("dev", () => new ChatSpace("eng", { displayName: "E" })))[0].inputs;
    const again = (await register("dev", () => new ChatSpace("eng", { displayName: "Renamed" })))[0].inputs;
    const otherStack = (await register("prod", () => new ChatSpace("eng", { displayName: "E" })))[0].inputs;
    const otherName = (await register("dev", () => new ChatSpace("ops", { displayName: "E" })))[0].inputs;
    const child = (await register("dev", () => new Team("eng"))).find((r) => r.type === CHAT_SPACE_TYPE)!.inputs;
    assert.deepEqual(
      [first, again, otherStack, otherName, child].map((inputs) => [inputs.__urn, inputs.__organization]),
      [
        [urn("dev", "eng"), "organization"],
        [urn("dev", "eng"), "organization"],
        [urn("prod", "eng"), "organization"],
        [urn("dev", "ops"), "organization"],
        [urn("dev", "space", "acme:index:Team$"), "organization"],
      ],
    );
  });

  it("passes the declared inputs", async () => {
    const [space] = await register("dev", () => new ChatSpace("eng", { displayName: "Eng", customer: "customers/my_customer" }));
    assert.equal(space.inputs.displayName, "Eng");
    assert.equal(space.inputs.customer, "customers/my_customer");
  });

  it("reads an existing space with ChatSpace.get, passing only the id", async () => {
    const registered: any[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: args.id ?? "x", state: { name: args.id, displayName: "Existing" } };
        },
        call: () => ({}),
      },
      "chat-project",
      "dev",
    );
    const space = ChatSpace.get("existing", "spaces/AAAAexisting");
    const displayName = await new Promise((resolve) => space.displayName.apply(resolve));
    assert.equal(displayName, "Existing");
    assert.equal(registered[0].id, "spaces/AAAAexisting");
    assert.equal(registered[0].inputs.__urn, undefined);
  });
});
