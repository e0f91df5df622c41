/**
 * The gRPC library and protobuf runtime that @pulumi/pulumi's protocol files
 * (`@pulumi/pulumi/proto/*_pb`) are built on, loaded from where those files load them: a Struct
 * or a server from another copy of either would not be the same class as the protocol files'.
 */
import { createRequire } from "node:module";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc: typeof import("@grpc/grpc-js") = fromPulumi("@grpc/grpc-js");
export const structpb: typeof import("google-protobuf/google/protobuf/struct_pb") = fromPulumi("google-protobuf/google/protobuf/struct_pb");
export const emptypb: typeof import("google-protobuf/google/protobuf/empty_pb") = fromPulumi("google-protobuf/google/protobuf/empty_pb");
export const anypb: typeof import("google-protobuf/google/protobuf/any_pb") = fromPulumi("google-protobuf/google/protobuf/any_pb");
