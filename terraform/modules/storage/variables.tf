variable "bucket_name" {
  description = "Globally unique name of the StoryMagic storage bucket (the task role reads and writes it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "Bucket names are 3-63 lower-case letters, digits, dots and hyphens."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten or deleted object versions are removed."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "At least one day."
  }
}

variable "cloudfront_distribution_arn" {
  description = "ARN of the CloudFront distribution allowed to read the story assets (assets/*) through its origin access control."
  type        = string
}

variable "erased_asset_retention_days" {
  description = "Days a deleted story asset's old version is kept before S3 removes it (GDPR erasure)."
  type        = number
  default     = 1

  validation {
    condition     = var.erased_asset_retention_days >= 1 && var.erased_asset_retention_days <= 30
    error_message = "Between 1 and 30 days."
  }
}

variable "force_destroy" {
  description = "Allow Terraform to delete a non-empty bucket (development only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
