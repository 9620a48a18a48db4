locals {
  tags = merge(var.tags, { Component = "storage" })
}

resource "aws_kms_key" "storage" {
  description             = "Encryption of the ${var.bucket_name} bucket"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_kms_alias" "storage" {
  name          = "alias/${var.bucket_name}"
  target_key_id = aws_kms_key.storage.key_id
}

resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.storage.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Story assets and their index: a version left behind by a deletion (GDPR erasure) is removed
  # within days, not kept for the bucket's general retention.
  rule {
    id     = "story-assets-erasure"
    status = "Enabled"

    filter {
      prefix = "assets/"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.erased_asset_retention_days
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  rule {
    id     = "story-asset-index-erasure"
    status = "Enabled"

    filter {
      prefix = "asset-index/"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.erased_asset_retention_days
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  # Pictures and recordings are read often at first, then rarely: let S3 move them.
  rule {
    id     = "story-assets-tiering"
    status = "Enabled"

    filter {
      prefix = "assets/stories/"
    }

    transition {
      days          = 30
      storage_class = "INTELLIGENT_TIERING"
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# CloudFront reads the story assets (assets/*) through its origin access control, and nothing else;
# the bucket stays private. The assets are written with SSE-S3, which CloudFront can read without a
# grant on the bucket's KMS key.
data "aws_iam_policy_document" "cloudfront_assets" {
  statement {
    sid       = "CloudFrontReadsStoryAssets"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/assets/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [var.cloudfront_distribution_arn]
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  source_policy_documents = [
    data.aws_iam_policy_document.tls_only.json,
    data.aws_iam_policy_document.cloudfront_assets.json,
  ]
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
