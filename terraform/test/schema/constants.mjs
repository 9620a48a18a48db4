// The pinned prebuilt bindings whose jsii manifest the schema extract is made from.
// @cdktn/provider-aws 25.7.0 is generated from hashicorp/aws 6.66.0.
export const PACKAGE = "@cdktn/provider-aws";
export const PACKAGE_VERSION = "25.7.0";
