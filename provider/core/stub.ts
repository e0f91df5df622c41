/**
 * The providers Pulumi serializes into every ChatSpace's, ChatMembership's and ChatSpaceMembers' state: a stub with no captured data
 * that loads the installed implementation when a method runs. State stays small (about 2 KB),
 * holds no credential, and a delete or refresh of an old resource runs the code installed now,
 * not the code that created it. `require` here is the dynamic-provider host's, which resolves
 * packages from the Pulumi program's directory: the package must be installed there.
 *
 * Each method repeats the module name: a shared helper or constant would be serialized as one
 * more captured closure per method, and the state would grow with it.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

/* eslint-disable @typescript-eslint/no-require-imports */
export const serializedProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-googlechat/provider").instance().configure(...a),
  check: (...a) => require("pulumi-googlechat/provider").instance().check(...a),
  diff: (...a) => require("pulumi-googlechat/provider").instance().diff(...a),
  create: (...a) => require("pulumi-googlechat/provider").instance().create(...a),
  read: (...a) => require("pulumi-googlechat/provider").instance().read(...a),
  update: (...a) => require("pulumi-googlechat/provider").instance().update(...a),
  delete: (...a) => require("pulumi-googlechat/provider").instance().delete(...a),
};

/** The same stub for every ChatMembership, loading the membership provider of this process. */
export const serializedMembershipProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-googlechat/provider").membershipInstance().configure(...a),
  check: (...a) => require("pulumi-googlechat/provider").membershipInstance().check(...a),
  diff: (...a) => require("pulumi-googlechat/provider").membershipInstance().diff(...a),
  create: (...a) => require("pulumi-googlechat/provider").membershipInstance().create(...a),
  read: (...a) => require("pulumi-googlechat/provider").membershipInstance().read(...a),
  update: (...a) => require("pulumi-googlechat/provider").membershipInstance().update(...a),
  delete: (...a) => require("pulumi-googlechat/provider").membershipInstance().delete(...a),
};

/** The same stub for every ChatSpaceMembers, loading the roster provider of this process. */
export const serializedSpaceMembersProvider: dynamic.ResourceProvider = {
  configure: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().configure(...a),
  check: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().check(...a),
  diff: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().diff(...a),
  create: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().create(...a),
  read: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().read(...a),
  update: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().update(...a),
  delete: (...a) => require("pulumi-googlechat/provider").spaceMembersInstance().delete(...a),
};
