/**
 * Story pictures and recordings kept in Amazon S3 (or an S3-compatible store) for CloudFront to
 * serve.
 */
package dev.storymagic.assets.s3;
