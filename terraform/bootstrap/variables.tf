variable "aws_region" {
  description = "Region of the state bucket and the lock table (the primary region)."
  type        = string
  default     = "eu-central-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.aws_region))
    error_message = "Give an AWS region name such as eu-central-1."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket; empty derives storymagic-terraform-state-<account id>."
  type        = string
  default     = ""

  validation {
    condition     = var.state_bucket_name == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "Bucket names are 3-63 lower-case letters, digits, dots and hyphens."
  }
}

variable "lock_table_name" {
  description = "Name of the DynamoDB state lock table."
  type        = string
  default     = "storymagic-terraform-locks"
}

variable "noncurrent_state_retention_days" {
  description = "Days old state versions are kept (they are the way back from a broken apply)."
  type        = number
  default     = 365

  validation {
    condition     = var.noncurrent_state_retention_days >= 30
    error_message = "Keep old state versions for at least 30 days."
  }
}
